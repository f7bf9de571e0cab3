#include "svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "run_summary.hpp"
#include "xml_text.hpp"

namespace rollproof::reports::detail {
namespace {

constexpr double width = 640, height = 330, left = 70, right = 20, top = 30, bottom = 110;
constexpr double plot_w = width - left - right, plot_h = height - top - bottom;

std::string esc(const std::string& s) {
  return escape(s, true);
}

// Axis labels longer than this are cut at the front (the distinguishing end of a case id stays);
// the full label is in the bar's tooltip.
std::string short_label(const std::string& s) {
  constexpr std::size_t max = 24;
  if (s.size() <= max) return s;
  std::size_t cut = s.size() - (max - 3);
  while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    ++cut;
  return "..." + s.substr(cut);
}

std::string open_svg(const std::string& kind, const std::string& title) {
  return fmt::format(
      "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{}\" "
      "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">"
      "<title>{}</title>\n"
      "<text x=\"{}\" y=\"18\" class=\"title\">{}</text>\n",
      esc(kind), width, height, width, height, esc(title), esc(title), left, esc(title));
}

std::string close_svg(const std::string& caption) {
  return fmt::format("</svg><figcaption>{}</figcaption></figure>\n", escape(caption, false));
}

// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten.
double nice_max(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double p = std::pow(10, std::floor(std::log10(v)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (v <= m * p) return m * p;
  return 10 * p;
}

std::string y_axis(double max, const std::string& unit) {
  std::string s = fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"axis\"/>\n",
                              left, top, left, top + plot_h);
  for (int i = 0; i <= 4; ++i) {
    const double v = max * i / 4;
    const double y = top + plot_h - plot_h * i / 4;
    s += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" class=\"grid\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"end\">{}</text>\n",
        left, y, left + plot_w, y, left - 6, y + 4, esc(short_number(v)));
  }
  s += fmt::format(
      "<text x=\"14\" y=\"{}\" class=\"unit\" transform=\"rotate(-90 14 {})\">{}</text>\n",
      top + plot_h / 2, top + plot_h / 2, esc(unit));
  return s;
}

}  // namespace

std::string palette(std::size_t i) {
  static const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                  "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  return colours[i % (sizeof colours / sizeof colours[0])];
}

std::string bar_chart(const std::string& kind, const std::string& title, const std::string& unit,
                      const std::vector<bar>& bars, const std::optional<band>& expected) {
  double max = 0;
  for (const auto& b : bars)
    max = std::max({max, b.value, b.high.value_or(0)});
  if (expected) max = std::max(max, expected->high);
  max = nice_max(max);
  std::string s = open_svg(kind, title) + y_axis(max, unit);
  auto y_of = [&](double v) { return top + plot_h - plot_h * std::clamp(v / max, 0.0, 1.0); };
  if (expected)
    s += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\" class=\"band\"/>\n", left,
        y_of(expected->high), plot_w, std::max(1.0, y_of(expected->low) - y_of(expected->high)));
  const double slot = bars.empty() ? plot_w : plot_w / static_cast<double>(bars.size());
  const bool label_every = bars.size() <= 24;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double x = left + slot * static_cast<double>(i) + slot * 0.15;
    const double w = slot * 0.7;
    s += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
        "<title>{}: {} {}</title></rect>\n",
        x, y_of(b.value), w, top + plot_h - y_of(b.value), esc(b.colour), esc(b.label),
        esc(short_number(b.value)), esc(unit));
    if (b.low && b.high)
      s += fmt::format(
          "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"whisker\"/>\n",
          x + w / 2, y_of(*b.low), x + w / 2, y_of(*b.high));
    if (label_every)
      s += fmt::format(
          "<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"end\" "
          "transform=\"rotate(-35 {:.1f} {})\">{}</text>\n",
          x + w / 2, top + plot_h + 14, x + w / 2, top + plot_h + 14, esc(short_label(b.label)));
  }
  return s + close_svg(expected ? title + "; shaded: " + expected->label : title);
}

std::string line_chart(const std::string& kind, const std::string& title, const std::string& x_unit,
                       const std::string& y_unit, const std::vector<series>& lines) {
  double x_max = 0;
  for (const auto& l : lines)
    for (const auto& [x, y] : l.points)
      x_max = std::max(x_max, x);
  x_max = nice_max(x_max);
  std::string s = open_svg(kind, title) + y_axis(1.0, y_unit);
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"axis\"/>\n", left,
                   top + plot_h, left + plot_w, top + plot_h);
  for (int i = 0; i <= 4; ++i)
    s +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n",
                    left + plot_w * i / 4, top + plot_h + 16, esc(short_number(x_max * i / 4)));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"unit\" text-anchor=\"middle\">{}</text>\n",
                   left + plot_w / 2, top + plot_h + 34, esc(x_unit));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    std::string pts;
    for (const auto& [x, y] : l.points)
      pts += fmt::format("{:.1f},{:.1f} ", left + plot_w * std::clamp(x / x_max, 0.0, 1.0),
                         top + plot_h - plot_h * std::clamp(y, 0.0, 1.0));
    s += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\">"
        "<title>{}</title></polyline>\n",
        pts, esc(l.colour), esc(l.name));
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" class=\"tick\">{}</text>\n",
        left + plot_w - 150, top + 8 + 16 * static_cast<double>(i), esc(l.colour),
        left + plot_w - 135, top + 17 + 16 * static_cast<double>(i), esc(l.name));
  }
  return s + close_svg(title);
}

std::string interval_chart(const std::string& kind, const std::string& title,
                           const std::string& unit, const std::vector<estimate_point>& points) {
  std::string s = open_svg(kind, title) + y_axis(1.0, unit);
  const double slot = points.empty() ? plot_w : plot_w / static_cast<double>(points.size());
  auto y_of = [&](double v) { return top + plot_h - plot_h * std::clamp(v, 0.0, 1.0); };
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    const double x = left + slot * (static_cast<double>(i) + 0.5);
    if (p.expected)
      s += fmt::format(
          "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"expected\"/>\n",
          x - slot * 0.3, y_of(*p.expected), x + slot * 0.3, y_of(*p.expected));
    s += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"whisker\"/>"
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\"><title>{}: {} [{}, {}]</title>"
        "</circle>\n",
        x, y_of(p.low), x, y_of(p.high), x, y_of(p.value), esc(palette(0)), esc(p.label),
        esc(short_number(p.value)), esc(short_number(p.low)), esc(short_number(p.high)));
    s +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n",
                    x, top + plot_h + 16, esc(p.label));
  }
  // The title names the interval the points carry.
  return s + close_svg(title + "; dots: measured share with its interval, dashes: the target share");
}

}  // namespace rollproof::reports::detail
