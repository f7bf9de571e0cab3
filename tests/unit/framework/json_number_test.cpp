#include "json_number.hpp"

#include <gtest/gtest.h>

namespace rollproof::framework::detail {
namespace {

boost::json::value json(std::string_view text) {
  return boost::json::parse(text);
}

TEST(integer_or, reads_an_integer_a_subject_wrote) {
  const auto v = json("3");
  EXPECT_EQ(integer_or(&v, 0), 3);
  const auto w = json("2.0");
  EXPECT_EQ(integer_or(&w, 0), 2);
}

TEST(integer_or, falls_back_on_a_fraction_instead_of_throwing) {
  const auto v = json("1.5");
  EXPECT_EQ(integer_or(&v, -7), -7);
}

TEST(integer_or, falls_back_on_out_of_range_text_and_missing_values) {
  const auto huge = json("1e30");
  const auto text = json("\"4\"");
  EXPECT_EQ(integer_or(&huge, 0), 0);
  EXPECT_EQ(integer_or(&text, 0), 0);
  EXPECT_EQ(integer_or(nullptr, 9), 9);
}

}  // namespace
}  // namespace rollproof::framework::detail
