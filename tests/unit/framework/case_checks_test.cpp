// A case whose mock died: its uploads are unknown, never integrity failures or timeouts, and no
// check over them passes or fails.
#include "case_checks.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "check_named.hpp"

namespace rollproof::framework {
namespace {

using testing::check_named;

// Three uploads as the runner holds them when the mock dies: one the server answered 200, one the
// subject reported as a timeout, one never answered.
std::vector<reports::upload_sample> uploads_of_a_case_whose_mock_died() {
  std::vector<reports::upload_sample> out(3);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].request_id = "u-" + std::to_string(i);
    out[i].attempts = 1;
    out[i].latency_ms = 100;
  }
  out[0].ok = true;
  out[0].status = 200;
  out[1].error_code = "timeout";
  out[1].timed_out = true;
  out[2].error_code = "infrastructure";
  return out;
}

const std::vector<std::string> file_ids{"file-0", "", ""};

TEST(join_ledger, calls_an_ok_upload_lost_when_the_ledger_is_empty) {
  // Why a case without its mock's ledger must not be joined: the empty ledger convicts.
  auto samples = uploads_of_a_case_whose_mock_died();
  detail::join_ledger(samples, file_ids, boost::json::array{}, "abc", 10);
  EXPECT_FALSE(samples[0].integrity_ok);
}

TEST(mark_unknown, records_every_upload_as_unknown_and_none_as_corrupted_or_timed_out) {
  auto samples = uploads_of_a_case_whose_mock_died();
  detail::mark_unknown(samples, "the mock died");
  for (const auto& s : samples) {
    EXPECT_EQ(s.unknown, "the mock died") << s.request_id;
    EXPECT_FALSE(reports::is_known(s)) << s.request_id;
    EXPECT_TRUE(s.integrity_ok) << s.request_id;
    EXPECT_FALSE(s.timed_out) << s.request_id;
    EXPECT_EQ(s.ledger_attempts, 0) << s.request_id;
    EXPECT_TRUE(s.route.empty()) << s.request_id;
  }
  EXPECT_TRUE(samples[0].ok);  // the subject's word is kept
  EXPECT_EQ(samples[1].error_code, "timeout");
}

reports::case_record a_route_case_with(std::vector<reports::upload_sample> uploads) {
  reports::case_record rec;
  rec.id = "s/binary-64KiB-kimi-c1-sync-slow";
  rec.scenario = "s";
  rec.parameters = {{"route", "sync"}};
  rec.uploads = std::move(uploads);
  return rec;
}

case_spec a_sync_case() {
  case_spec spec;
  spec.id = "s/binary-64KiB-kimi-c1-sync-slow";
  spec.route = "sync";
  return spec;
}

scenario a_scenario_bounding_timeouts_and_p95() {
  scenario sc;
  sc.name = "s";
  sc.expect.timeout_rate_at_most = 0;
  sc.expect.latency_p95_ms_at_most = 1;  // every known upload would break it
  return sc;
}

TEST(add_checks, judges_no_check_when_uploads_are_unknown) {
  auto samples = uploads_of_a_case_whose_mock_died();
  detail::mark_unknown(samples, "the mock died");
  auto rec = a_route_case_with(std::move(samples));
  detail::add_checks(a_scenario_bounding_timeouts_and_p95(), a_sync_case(), rec);
  ASSERT_FALSE(rec.checks.empty());
  for (const auto& c : rec.checks) {
    EXPECT_TRUE(c.not_run) << c.name << ": " << c.measured;
    EXPECT_FALSE(c.passed) << c.name;
  }
  const auto& integrity = check_named(rec, "integrity");
  EXPECT_EQ(integrity.measured.rfind("not checked: 3 of 3 uploads unknown: the mock died", 0), 0u)
      << integrity.measured;
  EXPECT_EQ(rec.values.at("timeout_rate.n"), 0);  // unknown uploads count in no value
  EXPECT_EQ(rec.values.at("success_rate.n"), 0);
  EXPECT_FALSE(rec.values.contains("latency_p95_ms"));
}

TEST(add_checks, judges_known_uploads_as_before) {
  auto rec = a_route_case_with(uploads_of_a_case_whose_mock_died());
  detail::add_checks(a_scenario_bounding_timeouts_and_p95(), a_sync_case(), rec);
  EXPECT_FALSE(check_named(rec, "timeout_rate").not_run);
  EXPECT_FALSE(check_named(rec, "timeout_rate").passed);  // u-1 timed out
  EXPECT_FALSE(check_named(rec, "integrity").not_run);
  EXPECT_EQ(rec.values.at("timeout_rate.n"), 3);
}

}  // namespace
}  // namespace rollproof::framework
