#include "svg.hpp"

#include <gtest/gtest.h>

namespace rollproof::reports::detail {
namespace {

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

TEST(interval_chart, marks_the_expected_value_of_each_point) {
  const std::string svg =
      interval_chart("rollout-stages", "t", "share", {{"10%", 0.1, 0.08, 0.12, 0.1}});
  EXPECT_NE(svg.find("class=\"expected\""), std::string::npos);
  EXPECT_NE(svg.find("<circle"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::reports::detail
