// The success_rate check of a case: strict by default, and never passed by zero ok uploads unless
// the scenario expects the uploads to fail.
#include <gtest/gtest.h>

#include "case_checks.hpp"

namespace rollproof::framework::detail {
namespace {

// The one check add_success_rate_check appends for `ok` of `n` uploads.
reports::check_result success_rate_check(const expectations& expect, std::uint64_t ok,
                                         std::uint64_t n) {
  reports::case_record rec;
  add_success_rate_check(rec, expect, ok, n);
  EXPECT_EQ(rec.checks.size(), 1u);
  return rec.checks.empty() ? reports::check_result{} : rec.checks.front();
}

expectations expecting(std::optional<double> at_least, std::optional<double> at_most) {
  expectations e;
  e.success_rate_at_least = at_least;
  e.success_rate_at_most = at_most;
  e.success_rate_default = false;
  return e;
}

TEST(success_rate_check, fails_a_case_that_lost_one_upload_under_the_default_bound) {
  const auto check = success_rate_check(expectations{}, 99, 100);
  EXPECT_FALSE(check.passed);
  EXPECT_EQ(check.expected, "success_rate >= 1 (default)");
  EXPECT_TRUE(success_rate_check(expectations{}, 100, 100).passed);
}

TEST(success_rate_check, passes_a_relaxed_bound_without_calling_it_the_default) {
  const auto check = success_rate_check(expecting(0.95, std::nullopt), 96, 100);
  EXPECT_TRUE(check.passed);
  EXPECT_EQ(check.expected, "success_rate >= 0.95");
}

TEST(success_rate_check, never_passes_a_case_without_an_ok_upload_when_only_a_lower_bound_is_set) {
  const auto check = success_rate_check(expecting(0.0, std::nullopt), 0, 10);
  EXPECT_FALSE(check.passed);
  EXPECT_EQ(check.expected, "success_rate >= 0, and at least one ok upload");
}

TEST(success_rate_check, passes_a_negative_test_only_when_every_upload_failed) {
  EXPECT_TRUE(success_rate_check(expecting(std::nullopt, 0.0), 0, 10).passed);
  const auto check = success_rate_check(expecting(std::nullopt, 0.0), 1, 10);
  EXPECT_FALSE(check.passed);
  EXPECT_EQ(check.expected, "success_rate <= 0");
}

TEST(success_rate_check, fails_a_case_that_sent_no_upload_whatever_the_bounds) {
  EXPECT_FALSE(success_rate_check(expectations{}, 0, 0).passed);
  EXPECT_FALSE(success_rate_check(expecting(std::nullopt, 0.0), 0, 0).passed);
}

TEST(success_rate_check, checks_both_sides_of_a_range) {
  const auto check = success_rate_check(expecting(0.4, 0.6), 7, 10);
  EXPECT_FALSE(check.passed);
  EXPECT_EQ(check.expected, "0.4 <= success_rate <= 0.6");
  EXPECT_TRUE(success_rate_check(expecting(0.4, 0.6), 5, 10).passed);
}

}  // namespace
}  // namespace rollproof::framework::detail
