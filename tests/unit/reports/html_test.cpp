#include "rollproof/reports/html.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "command.hpp"
#include "html_charts.hpp"
#include "rollproof/stats/clopper_pearson.hpp"
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
  // One ECDF per scenario and fault profile: performance ran "none" and "slow-tail".
  EXPECT_EQ(count_of(page, "data-chart=\"latency-ecdf\""), 3u);
  EXPECT_GE(count_of(page, "data-chart=\"throughput\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"memory\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"bucket-histogram\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"rollout-stages\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"claim-ranges\""), 1u);
  EXPECT_EQ(count_of(page, "data-chart=\"faults\""), 2u);
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

// The text of each element `<tag ...data-chart="kind"...>...</figure>` of the page, in order.
std::vector<std::string> figures(const std::string& page, const std::string& kind) {
  std::vector<std::string> out;
  const std::string mark = "data-chart=\"" + kind + "\"";
  for (auto p = page.find(mark); p != std::string::npos; p = page.find(mark, p + 1))
    out.push_back(page.substr(p, page.find("</figure>", p) - p));
  return out;
}

TEST(render_html, opens_with_the_verdict_banner_and_the_facts_before_the_claims) {
  const run_record run = testing::sample_run();
  const std::string page = render_html(run);
  const auto banner = page.find("<header class=\"banner fail\"");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_LT(banner, page.find("id=\"claims\""));
  EXPECT_NE(page.find("<p class=\"outcome\">FAIL</p>"), std::string::npos);
  EXPECT_NE(page.find("<dt>commit</dt><dd>" + run.prov.git.commit.substr(0, 12) + " (clean)</dd>"),
            std::string::npos);
  EXPECT_NE(page.find("<dt>branch</dt><dd>main</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>seed</dt><dd>7 (performance), 11 (rollout)</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>when</dt><dd>" + run.prov.started_at), std::string::npos);
  EXPECT_NE(page.find("<dt>host</dt><dd>" + run.prov.host.hostname), std::string::npos);
  EXPECT_NE(page.find("<dt>rollproof</dt><dd>0.1.0</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>subject</dt><dd>`build/bin/rollproof-upload` (rollproof-upload 0.1.0"),
            std::string::npos);
  EXPECT_NE(page.find("1 case failed; 1 case ended in error; 1 claim refuted"), std::string::npos);
}

TEST(render_html, says_dirty_when_the_work_tree_had_uncommitted_changes) {
  run_record run = testing::sample_run();
  run.prov.git.dirty = true;
  EXPECT_NE(render_html(run).find(" (dirty: uncommitted changes)</dd>"), std::string::npos);
}

TEST(render_html, says_pass_when_no_case_failed_and_no_claim_was_refuted_or_in_error) {
  run_record run = testing::sample_run();
  std::erase_if(run.cases, [](const case_record& c) { return c.status != case_status::passed; });
  std::erase_if(run.claims, [](const claim_record& c) {
    return c.result == verdict::refuted || c.result == verdict::error;
  });
  const std::string page = render_html(run);
  EXPECT_NE(page.find("<header class=\"banner pass\""), std::string::npos);
  EXPECT_NE(page.find("<p class=\"outcome\">PASS</p>"), std::string::npos);
  EXPECT_NE(page.find("1 claim inconclusive"), std::string::npos);
}

TEST(render_html, links_every_nonzero_count_of_the_banner_to_its_group) {
  const std::string page = render_html(testing::sample_run());
  const std::regex link("href=\"#((claims|cases)-[a-z]+)\"");
  std::size_t links = 0;
  for (std::sregex_iterator it(page.begin(), page.end(), link), end; it != end; ++it, ++links)
    EXPECT_NE(page.find("<tbody id=\"" + (*it)[1].str() + "\">"), std::string::npos) << (*it)[1];
  // refuted, error, inconclusive, unverifiable, verified; failed, error, skipped, passed.
  EXPECT_EQ(links, 9u);
}

TEST(render_html, keeps_one_colour_per_route_in_every_chart) {
  const std::string page = render_html(testing::sample_run());
  const std::regex line("stroke=\"(#[0-9a-f]{6})\" stroke-width=\"2.5\"><title>route (\\w+) ");
  const std::regex row(
      "<td class=\"label\">[^<]*-(sync|async)-r[0-9]</td>.*?fill=\"(#[0-9a-f]{6})\"");
  std::map<std::string, std::set<std::string>> colours;  // route -> colours it was drawn in
  std::size_t marks = 0;
  for (const auto& f : figures(page, "latency-ecdf"))
    for (std::sregex_iterator it(f.begin(), f.end(), line), end; it != end; ++it, ++marks)
      colours[(*it)[2]].insert((*it)[1]);
  for (const char* kind : {"throughput", "memory"})
    for (const auto& f : figures(page, kind))
      for (std::sregex_iterator it(f.begin(), f.end(), row), end; it != end; ++it, ++marks)
        colours[(*it)[1]].insert((*it)[2]);
  EXPECT_GE(marks, 2u * 16u);
  ASSERT_EQ(colours["async"].size(), 1u);
  ASSERT_EQ(colours["sync"].size(), 1u);
  EXPECT_NE(*colours["async"].begin(), *colours["sync"].begin());
}

TEST(render_html, gives_every_chart_a_legend) {
  const std::string page = render_html(testing::sample_run());
  std::size_t charts = 0;
  for (auto p = page.find("<figure data-chart="); p != std::string::npos;
       p = page.find("<figure data-chart=", p + 1), ++charts) {
    const std::string f = page.substr(p, page.find("</figure>", p) - p);
    EXPECT_NE(f.find("<p class=\"legend\"><span class=\"key\">"), std::string::npos)
        << f.substr(0, 120);
  }
  EXPECT_GE(charts, 8u);
}

TEST(render_html, shows_every_case_label_in_full) {
  const run_record run = testing::sample_run();
  const std::string page = render_html(run);
  EXPECT_EQ(page.find("..."), std::string::npos);
  for (const auto& c : run.cases)
    if (c.scenario == "performance") {
      EXPECT_NE(page.find("<td class=\"label\">" + c.id.substr(c.id.find('/') + 1) + "</td>"),
                std::string::npos)
          << c.id;
    }
}

TEST(render_html, counts_the_faults_the_mocks_injected_per_case_and_in_all) {
  const run_record run = testing::sample_run();
  double total = 0;
  std::size_t faulted = 0, counted = 0;
  for (const auto& c : run.cases)
    if (c.values.contains("faults_injected")) {
      ++counted;
      total += c.values.at("faults_injected");
      faulted += c.values.at("faults_injected") > 0 ? 1 : 0;
    }
  ASSERT_GT(total, 0);
  const std::string page = render_html(run);
  EXPECT_NE(page.find(fmt::format("<strong>Faults injected:</strong> {} in {} of {} cases", total,
                                  faulted, counted)),
            std::string::npos);
  EXPECT_NE(page.find("<td>slow-tail-503: 1, slow-tail-late: 2</td>"), std::string::npos);
  EXPECT_NE(page.find("<td>not recorded</td>"), std::string::npos);  // the errored case
}

TEST(render_html, marks_a_rollback_in_the_stage_chart_and_the_banner) {
  const std::string page = render_html(testing::sample_run());
  const auto stages = figures(page, "rollout-stages");
  ASSERT_EQ(stages.size(), 1u);
  EXPECT_NE(stages[0].find("<tr class=\"rollback\">"), std::string::npos);
  EXPECT_NE(stages[0].find("stage 50% after its rollback to 10% (n = 20 users)"),
            std::string::npos);
  EXPECT_NE(stages[0].find("gates tripped: rolled back to 10%"), std::string::npos);
  EXPECT_NE(page.find("<strong>Rollbacks:</strong> rollout/stage-50 rolled back to 10%"),
            std::string::npos);
}

TEST(render_html, draws_each_measured_claim_against_its_claimed_range) {
  const run_record run = testing::sample_run();
  const auto ranges = figures(render_html(run), "claim-ranges");
  ASSERT_EQ(ranges.size(), 1u);
  for (const auto& c : run.claims) {
    const bool drawn = ranges[0].find("<td class=\"label\">" + c.id + " (") != std::string::npos;
    EXPECT_EQ(drawn, c.measured.value.has_value()) << c.id;
  }
}

TEST(accepted_shares, are_the_shares_whose_exact_interval_holds_the_target) {
  for (const std::uint64_t n : {20u, 100u, 20000u})
    for (const double target : {0.01, 0.1, 0.5}) {
      const auto [lo, hi] = detail::accepted_shares(target, n);
      const auto k_lo = static_cast<std::uint64_t>(std::llround(lo * n));
      const auto k_hi = static_cast<std::uint64_t>(std::llround(hi * n));
      const auto holds = [&](std::uint64_t k) {
        const auto ci = stats::clopper_pearson_interval(k, n, 0.999);
        return ci.low <= target && target <= ci.high;
      };
      EXPECT_TRUE(holds(k_lo) && holds(k_hi)) << n << " " << target;
      if (k_lo > 0) {
        EXPECT_FALSE(holds(k_lo - 1)) << n << " " << target;
      }
      if (k_hi < n) {
        EXPECT_FALSE(holds(k_hi + 1)) << n << " " << target;
      }
    }
  EXPECT_EQ(detail::accepted_shares(0, 100), std::make_pair(0.0, 0.0));
  EXPECT_EQ(detail::accepted_shares(1, 100), std::make_pair(1.0, 1.0));
}

}  // namespace
}  // namespace rollproof::reports
