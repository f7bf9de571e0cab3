#pragma once
// Small charts for report.html: inline SVG and HTML tables, no script, no external resources,
// escaped labels. Legends are HTML beside each chart, so they wrap and stay readable on a phone.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollproof::reports::detail {

// The colour of a route in every chart of a report: async blue, sync orange (Okabe-Ito, safe for
// colour-blind readers), "all" (no route parameter) grey, any other name a fixed one of its own.
std::string route_colour(std::string_view route);

// One key of a legend; `shape` is "box" (a filled square), "line", "dash" (a dashed line),
// "band" (a shaded range), "tick" (a measured value with its interval) or "rollback".
struct legend_entry {
  std::string label;
  std::string colour;
  std::string shape = "box";
};

// A legend as an HTML paragraph of swatches and labels.
std::string legend(const std::vector<legend_entry>& entries);

// One bar; `low`/`high` draw an interval whisker on it.
struct bar {
  std::string label;
  double value = 0;
  std::string colour;
  std::optional<double> low, high;
};

// A horizontal band of expected values drawn behind the bars (e.g. a uniform bucket count +- 95%).
struct band {
  double low = 0;
  double high = 0;
  std::string label;
};

// A vertical bar chart for short labels (bucket numbers); `kind` becomes data-chart="kind" so
// tests and readers can find it.
std::string bar_chart(const std::string& kind, const std::string& title, const std::string& unit,
                      const std::vector<bar>& bars, const std::optional<band>& expected = {});

// A horizontal bar chart as a table, one row per bar: the full label (wrapped, never cut), the
// bar on an axis from 0 and its value; `legend` keys go above it.
std::string bar_table(const std::string& kind, const std::string& title, const std::string& unit,
                      const std::vector<bar>& bars, const std::vector<legend_entry>& keys);

// One line of a line chart, points in data coordinates, sorted by x.
struct series {
  std::string name;
  std::string colour;
  std::vector<std::pair<double, double>> points;
};

// A step/line chart with x from 0 to a round number at or above `x_max` (0: the data's largest x),
// y from 0 to 1; used for
// empirical CDFs. The legend (one key per series) is HTML under the plot.
std::string line_chart(const std::string& kind, const std::string& title, const std::string& x_unit,
                       const std::string& y_unit, const std::vector<series>& lines,
                       double x_max = 0);

// One row of a range chart: a measured value and its interval against an accepted range
// (either side may be infinite), an optional target, on the row's own axis.
struct range_row {
  std::string label;
  std::optional<double> value, low, high;
  double range_low = 0, range_high = 0;
  std::optional<double> target;
  std::string colour;  // of the measured value and its interval
  std::string note;    // shown under the label, e.g. the numbers in words
  bool rollback = false;
};

// Rows of measured intervals against their ranges, each row scaled to show both; `keys` explain
// the marks.
std::string range_table(const std::string& kind, const std::string& title,
                        const std::vector<range_row>& rows, const std::vector<legend_entry>& keys);

}  // namespace rollproof::reports::detail
