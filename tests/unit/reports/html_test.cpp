#include "rollproof/reports/html.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
    ++n;
  return n;
}

TEST(render_html, is_well_formed_for_both_the_html_and_the_xml_parser) {
  testing::temp_dir dir;
  const auto file = dir.path() / "report.html";
  testing::write_text(file, render_html(testing::sample_run()));
  // libxml2's HTML 4 parser does not know SVG or HTML5 elements; everything else must be clean.
  const auto html = testing::run_command("xmllint --html --noout '" + file.string() + "'");
  EXPECT_EQ(html.exit_code, 0) << html.output;
  std::string other;
  for (std::size_t start = 0; start < html.output.size();) {
    auto end = html.output.find('\n', start);
    if (end == std::string::npos) end = html.output.size();
    const std::string line = html.output.substr(start, end - start);
    if (line.find("HTML parser error") != std::string::npos &&
        line.find("invalid") == std::string::npos)
      other += line + "\n";
    start = end + 1;
  }
  EXPECT_EQ(other, "");
  const auto xml = testing::run_command("xmllint --noout '" + file.string() + "'");
  EXPECT_EQ(xml.exit_code, 0) << xml.output;
}

TEST(render_html, contains_every_kind_of_chart) {
  const std::string page = render_html(testing::sample_run());
  EXPECT_EQ(count_of(page, "data-chart=\"latency-ecdf\""), 2u);
  EXPECT_GE(count_of(page, "data-chart=\"throughput\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"memory\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"bucket-histogram\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"rollout-stages\""), 1u);
}

TEST(render_html, charts_the_rollout_share_its_check_measured_not_a_recount_of_every_upload) {
  // 100 uploads, of which the stage's check counted the first 40 (the rest came after a rollback).
  case_record c;
  c.id = "r/stage-10";
  c.scenario = "r";
  c.parameters = {{"stage", "10"}};
  for (int i = 0; i < 100; ++i) {
    upload_sample u;
    u.ok = true;
    u.latency_ms = 5;
    u.route = i < 4 || i >= 80 ? "async" : "sync";
    c.uploads.push_back(u);
  }
  c.values["rollout_share"] = 0.1;
  c.values["rollout_share.n"] = 40;
  run_record run;
  run.cases.push_back(c);
  const std::string page = render_html(run);
  EXPECT_NE(page.find("10% (n = 40 users)"), std::string::npos) << page;
  EXPECT_EQ(page.find("10% (n = 100"), std::string::npos);
}

TEST(render_html, is_self_contained) {
  const std::string page = render_html(testing::sample_run());
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("src="), std::string::npos);
  EXPECT_EQ(page.find("url("), std::string::npos);
  EXPECT_EQ(count_of(page, "http://") + count_of(page, "https://"),
            count_of(page, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_FALSE(testing::has_control_characters(page));
}

TEST(render_html, shows_the_claims_with_their_verdict_class) {
  const std::string page = render_html(testing::sample_run());
  EXPECT_NE(page.find("<tr class=\"refuted\"><td><code>perf.throughput</code>"), std::string::npos);
  EXPECT_NE(page.find("&lt;APPROVED&gt; &amp; signed"), std::string::npos);
}

TEST(render_html, shows_each_scenarios_own_seed_when_no_seed_overrode_it) {
  const std::string html = render_html(testing::run_of_a_scenario_seeded_42());
  EXPECT_NE(html.find(", seed 42, subject"), std::string::npos);
  EXPECT_EQ(html.find("<th>seed</th><td>0</td>"), std::string::npos);
}

TEST(render_html, marks_a_partial_merge_before_the_claims) {
  const std::string html = render_html(testing::partial_merge());
  EXPECT_LT(html.find("PARTIAL RESULT: shard(s) 2, 3 of 3 missing."), html.find("id=\"claims\""));
}

}  // namespace
}  // namespace rollproof::reports
