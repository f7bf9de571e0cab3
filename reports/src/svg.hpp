#pragma once
// Small inline SVG charts for report.html: no script, no external resources, escaped labels.

#include <optional>
#include <string>
#include <vector>

namespace rollproof::reports::detail {

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

// A vertical bar chart; `kind` becomes data-chart="kind" so tests and readers can find it.
std::string bar_chart(const std::string& kind, const std::string& title, const std::string& unit,
                      const std::vector<bar>& bars, const std::optional<band>& expected = {});

// One line of a line chart, points in data coordinates, sorted by x.
struct series {
  std::string name;
  std::string colour;
  std::vector<std::pair<double, double>> points;
};

// A step/line chart with axes from 0; used for empirical CDFs.
std::string line_chart(const std::string& kind, const std::string& title, const std::string& x_unit,
                       const std::string& y_unit, const std::vector<series>& lines);

// Points with interval whiskers and an expected marker per category (rollout stages).
struct estimate_point {
  std::string label;
  double value = 0, low = 0, high = 0;
  std::optional<double> expected;
};

std::string interval_chart(const std::string& kind, const std::string& title,
                           const std::string& unit, const std::vector<estimate_point>& points);

// A colour for the i-th series, stable across charts (sync and async keep theirs).
std::string palette(std::size_t i);

}  // namespace rollproof::reports::detail
