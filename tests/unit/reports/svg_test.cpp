#include "svg.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>

namespace rollproof::reports::detail {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
    ++n;
  return n;
}

TEST(bar_chart, draws_one_rect_per_bar_and_the_expected_band) {
  const std::string svg = bar_chart("memory", "peak <RSS>", "MiB",
                                    {{"sync", 400, "#111", {}, {}}, {"async", 60, "#222", {}, {}}},
                                    band{50, 70, "band"});
  EXPECT_NE(svg.find("data-chart=\"memory\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"band\""), std::string::npos);
  EXPECT_NE(svg.find("peak &lt;RSS&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("peak <RSS>"), std::string::npos);
}

TEST(line_chart, draws_a_polyline_per_series) {
  const std::string svg =
      line_chart("latency-ecdf", "t", "ms", "share",
                 {{"sync", "#111", {{1, 0.5}, {2, 1}}}, {"async", "#222", {{1, 1}}}});
  std::size_t lines = 0;
  for (auto p = svg.find("<polyline"); p != std::string::npos; p = svg.find("<polyline", p + 1))
    ++lines;
  EXPECT_EQ(lines, 2u);
}

TEST(range_table, draws_the_range_the_target_and_the_interval_of_each_row) {
  const std::string html =
      range_table("rollout-stages", "t",
                  {{"stage 10%", 0.1, 0.08, 0.12, 0.09, 0.11, 0.1, "#0072b2", "note", false},
                   {"after rollback", 0.05, 0.01, 0.2, 0.0, 0.0, 0.0, "#0072b2", "", true}},
                  {{"target", "#d62728", "dash"}});
  EXPECT_NE(html.find("data-chart=\"rollout-stages\""), std::string::npos);
  EXPECT_EQ(count_of(html, "class=\"range\""), 2u);
  EXPECT_EQ(count_of(html, "class=\"expected\""), 2u);
  EXPECT_EQ(count_of(html, "class=\"value\""), 2u);
  EXPECT_EQ(count_of(html, "<tr class=\"rollback\">"), 1u);
  EXPECT_NE(html.find("<p class=\"legend\">"), std::string::npos);
}

TEST(range_table, draws_an_unbounded_side_to_the_edge_of_the_strip) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::string html =
      range_table("claims", "t", {{"c", 0.5, 0.4, 0.6, 0.999, inf, {}, "#000", "", false}}, {});
  // The range starts right of the interval and runs to the end (x + width = 1000).
  const auto at = html.find("class=\"range\"");
  ASSERT_NE(at, std::string::npos);
  const auto rect = html.rfind("<rect", at);
  double x = 0, w = 0;
  ASSERT_EQ(std::sscanf(html.c_str() + rect, "<rect x=\"%lf\" y=\"2\" width=\"%lf\"", &x, &w), 2)
      << html.substr(rect, 80);
  EXPECT_GT(x, 500);
  EXPECT_NEAR(x + w, 1000, 0.2);
}

TEST(bar_table, shows_every_label_in_full) {
  const std::string label = "phase3-file-variants/csv-1MiB-kimi-c10-async-none";
  const std::string html =
      bar_table("throughput", "t", "MB/s", {{label, 3, "#0072b2", {}, {}}}, {{"async", "#0072b2"}});
  EXPECT_NE(html.find(">" + label + "</td>"), std::string::npos) << html;
  EXPECT_EQ(html.find("..."), std::string::npos);
}

TEST(route_colour, gives_each_route_one_colour_whatever_the_order_it_is_met_in) {
  EXPECT_EQ(route_colour("async"), "#0072b2");
  EXPECT_EQ(route_colour("sync"), "#e69f00");
  EXPECT_NE(route_colour("async"), route_colour("sync"));
  EXPECT_EQ(route_colour("canary"), route_colour("canary"));
  EXPECT_NE(route_colour("canary"), route_colour("async"));
}

}  // namespace
}  // namespace rollproof::reports::detail
