#include "metrics_checks.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "rollproof/upload/metrics.hpp"

namespace rollproof::framework::detail {
namespace {

using upload::provider_kind;
using upload::route;

// A kimi case: its answers, the mock's ledger, and the subject's metrics registry, kept in step
// the way the real subject keeps them.
class case_under_test {
 public:
  // An upload whose attempts went on `routes` in order; the last one succeeded.
  case_under_test& upload(std::vector<route> routes) {
    reports::upload_sample s;
    s.request_id = "u-" + std::to_string(rec.uploads.size());
    s.ok = true;
    for (std::size_t i = 0; i < routes.size(); ++i) {
      ledger.push_back(boost::json::object{{"method", "POST"},
                                           {"path", "/v1/files"},
                                           {"request_id", s.request_id},
                                           {"route", upload::to_string(routes[i])}});
      metrics.record_attempt(provider_kind::kimi, routes[i],
                             i + 1 == routes.size() ? "ok" : "server_error", 0.01);
    }
    metrics.record_upload(provider_kind::kimi, routes.back(), "ok", 16, routes.size() > 1, 0.02);
    rec.uploads.push_back(std::move(s));
    return *this;
  }
  // The answer to the `metrics` op, edited by `json_edit`, with `extra_text` after its text.
  metrics_answer answer(const std::function<void(boost::json::object&)>& json_edit = {},
                        const std::string& extra_text = {}) const {
    boost::json::object a{{"metrics", metrics.to_json()},
                          {"prometheus", metrics.to_prometheus() + extra_text}};
    if (json_edit) json_edit(a);
    return read_metrics_answer(a);
  }
  // The checks the answer gets, by name.
  std::map<std::string, reports::check_result> checked_with(const metrics_answer& m) {
    rec.checks.clear();
    add_metrics_checks(m, "kimi", ledger, rec);
    std::map<std::string, reports::check_result> out;
    for (const auto& c : rec.checks)
      out[c.name] = c;
    return out;
  }

  reports::case_record rec;
  boost::json::array ledger;
  upload::metrics_registry metrics;
};

// One sync upload, one async upload, and one that fell back from async to sync.
void send_three_uploads_one_falling_back(case_under_test& c) {
  c.upload({route::sync}).upload({route::async}).upload({route::async, route::sync});
}

TEST(add_metrics_checks, passes_json_prometheus_and_fallbacks_of_an_honest_subject) {
  case_under_test c;
  send_three_uploads_one_falling_back(c);
  const auto checks = c.checked_with(c.answer());
  ASSERT_EQ(checks.size(), 3u);
  for (const auto& [name, check] : checks)
    EXPECT_TRUE(check.passed && !check.not_run) << name << ": " << check.measured;
}

TEST(add_metrics_checks, fails_metrics_agree_when_the_json_inflates_ok_uploads) {
  case_under_test c;
  send_three_uploads_one_falling_back(c);
  const auto checks = c.checked_with(c.answer([](boost::json::object& a) {
    auto& sync = a["metrics"].as_object()["totals"].as_object()["kimi"].as_object()["sync"];
    sync.as_object()["uploads_ok"] = 3;
  }));
  EXPECT_FALSE(checks.at("metrics_agree").passed);
  EXPECT_NE(checks.at("metrics_agree").measured.find("ok uploads: subject 4, answers 3"),
            std::string::npos)
      << checks.at("metrics_agree").measured;
  EXPECT_FALSE(checks.at("metrics_prometheus").passed);  // the text no longer equals the JSON
}

TEST(add_metrics_checks, fails_metrics_prometheus_when_only_the_text_counts_a_phantom_attempt) {
  case_under_test c;
  send_three_uploads_one_falling_back(c);
  const auto checks = c.checked_with(c.answer(
      {}, "rollproof_upload_attempts_total{provider=\"kimi\",route=\"sync\",outcome=\"x\"} 1\n"));
  EXPECT_TRUE(checks.at("metrics_agree").passed);
  EXPECT_FALSE(checks.at("metrics_prometheus").passed);
  EXPECT_NE(checks.at("metrics_prometheus").measured.find("sync attempts: prometheus 3, json 2"),
            std::string::npos)
      << checks.at("metrics_prometheus").measured;
}

TEST(add_metrics_checks, fails_metrics_prometheus_on_text_that_does_not_parse) {
  case_under_test c;
  send_three_uploads_one_falling_back(c);
  const auto checks = c.checked_with(c.answer({}, "broken{\n"));
  EXPECT_FALSE(checks.at("metrics_prometheus").passed);
  EXPECT_NE(checks.at("metrics_prometheus").measured.find("does not parse: line "),
            std::string::npos);
}

TEST(add_metrics_checks, shows_one_not_run_check_for_a_subject_without_metrics) {
  case_under_test c;
  send_three_uploads_one_falling_back(c);
  metrics_answer none;
  none.not_checked = "the subject offers no metrics";
  const auto checks = c.checked_with(none);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks.at("metrics").not_run);
  EXPECT_FALSE(checks.at("metrics").passed);
  EXPECT_EQ(checks.at("metrics").measured, "the subject offers no metrics");
}

TEST(add_metrics_checks, fails_metrics_agree_when_the_answer_has_no_metrics_object) {
  case_under_test c;
  send_three_uploads_one_falling_back(c);
  const auto checks = c.checked_with(read_metrics_answer(boost::json::object{{"ok", true}}));
  EXPECT_FALSE(checks.at("metrics_agree").passed);
  EXPECT_FALSE(checks.at("metrics_agree").not_run);
}

TEST(add_metrics_checks, marks_the_prometheus_check_not_run_when_the_text_is_missing) {
  case_under_test c;
  send_three_uploads_one_falling_back(c);
  const auto checks =
      c.checked_with(c.answer([](boost::json::object& a) { a.erase("prometheus"); }));
  EXPECT_TRUE(checks.at("metrics_agree").passed);
  EXPECT_TRUE(checks.at("metrics_prometheus").not_run);
}

}  // namespace
}  // namespace rollproof::framework::detail
