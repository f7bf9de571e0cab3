// One percentile definition: the p95 a case check judges, the p95 a claim measures and the p95 the
// HTML report shows are the same number for the same uploads.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "case_checks.hpp"
#include "check_named.hpp"
#include "rollproof/claims/claim.hpp"
#include "rollproof/reports/html.hpp"

namespace rollproof::framework {
namespace {

// A route case whose ok uploads took 10, 20, ..., 200 ms: type 7 puts p95 at 190.5 ms, between
// two uploads, where nearest rank would say 190 ms.
reports::case_record a_case_with_latencies_ten_to_two_hundred_ms() {
  reports::case_record rec;
  rec.id = "p/json-64KiB-kimi-c1-async-none";
  rec.scenario = "p";
  rec.status = reports::case_status::passed;
  rec.parameters = {{"route", "async"}};
  for (int i = 1; i <= 20; ++i) {
    reports::upload_sample u;
    u.ok = true;
    u.integrity_ok = true;
    u.latency_ms = 10.0 * i;
    u.route = "async";
    rec.uploads.push_back(u);
  }
  return rec;
}

scenario a_scenario_bounding_p95() {
  scenario sc;
  sc.name = "p";
  sc.expect.latency_p95_ms_at_most = 1000;
  return sc;
}

claims::claim_spec a_claim_on_p95_latency() {
  claims::claim_spec s;
  s.id = "p95";
  s.text = "p95 under a second";
  s.scenario = "p";
  s.metric = "latency_ms";
  s.percentile = 95;
  s.relation = claims::relation_kind::bound;
  s.max = 1000;
  return s;
}

using testing::check_named;

TEST(one_percentile, gives_the_same_p95_in_the_case_check_the_claim_and_the_html) {
  auto rec = a_case_with_latencies_ten_to_two_hundred_ms();
  case_spec spec;
  spec.id = rec.id;
  spec.route = "async";
  detail::add_checks(a_scenario_bounding_p95(), spec, rec);
  const auto claim = claims::evaluate(a_claim_on_p95_latency(), {&rec, 1}, 1);
  ASSERT_TRUE(claim.measured.value) << claim.explanation;

  EXPECT_DOUBLE_EQ(*claim.measured.value, 190.5);
  EXPECT_DOUBLE_EQ(rec.values.at("latency_p95_ms"), *claim.measured.value);
  EXPECT_EQ(check_named(rec, "latency_p95_ms").measured, "190.5 ms over 20 ok uploads");

  reports::run_record run;
  run.cases.push_back(rec);
  run.claims.push_back(claim);
  const std::string html = reports::render_html(run);
  // The cases table's p95 column (after the status, "uploads ok" and p50 columns).
  EXPECT_NE(html.find("<td>20/20</td><td>105</td><td>190.5</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("measured 190.5 ms over 20 ok uploads"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::framework
