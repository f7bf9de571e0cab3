#include "rollproof/common/diagnostic.hpp"

#include <gtest/gtest.h>

namespace rollproof {
namespace {

TEST(diagnostic, prints_file_line_column_and_message) {
  const diagnostic d{{"smoke.toml", 3, 7}, "unknown key 'sizez'"};
  EXPECT_EQ(d.to_string(), "smoke.toml:3:7: unknown key 'sizez'");
}

TEST(diagnostic, omits_an_unknown_position) {
  EXPECT_EQ((diagnostic{{"x.toml", 0, 0}, "cannot open"}).to_string(), "x.toml: cannot open");
  EXPECT_EQ((diagnostic{{"x.toml", 4, 0}, "bad"}).to_string(), "x.toml:4: bad");
}

TEST(diagnostic, joins_many_one_per_line_in_order) {
  const diagnostics all{{{"a", 1, 1}, "first"}, {{"a", 2, 1}, "second"}};
  EXPECT_EQ(to_string(all), "a:1:1: first\na:2:1: second\n");
}

}  // namespace
}  // namespace rollproof
