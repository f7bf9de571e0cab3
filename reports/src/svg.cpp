#include "svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "run_summary.hpp"
#include "xml_text.hpp"

namespace rollproof::reports::detail {
namespace {

constexpr double width = 640, height = 330, left = 70, right = 20, top = 30, bottom = 60;
constexpr double plot_w = width - left - right, plot_h = height - top - bottom;

std::string esc(const std::string& s) {
  return escape(s, true);
}

// The viewBox keeps the chart's proportions; the page's CSS scales it to the column's width.
std::string open_svg(const std::string& kind, const std::string& title) {
  return fmt::format(
      "<figure data-chart=\"{}\"><figcaption class=\"title\">{}</figcaption>"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\"><title>{}</title>\n",
      esc(kind), esc(title), width, height, width, height, esc(title), esc(title));
}

std::string close_svg(const std::string& after) {
  return "</svg>" + after + "</figure>\n";
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
      "<text x=\"16\" y=\"{}\" class=\"unit\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 16 {})\">{}</text>\n",
      top + plot_h / 2, top + plot_h / 2, esc(unit));
  return s;
}

std::string swatch(const legend_entry& k) {
  const std::string c = esc(k.colour);
  std::string shape;
  if (k.shape == "line")
    shape = fmt::format(
        "<line x1=\"0\" y1=\"6\" x2=\"22\" y2=\"6\" stroke=\"{}\" "
        "stroke-width=\"3\"/>",
        c);
  else if (k.shape == "dash")
    shape = fmt::format(
        "<line x1=\"11\" y1=\"0\" x2=\"11\" y2=\"12\" stroke=\"{}\" "
        "stroke-width=\"2\" stroke-dasharray=\"3 2\"/>",
        c);
  else if (k.shape == "band")
    shape = fmt::format(
        "<rect x=\"0\" y=\"1\" width=\"22\" height=\"10\" fill=\"{}\" "
        "fill-opacity=\".25\"/>",
        c);
  else if (k.shape == "tick")
    shape = fmt::format(
        "<line x1=\"2\" y1=\"6\" x2=\"20\" y2=\"6\" stroke=\"{0}\" "
        "stroke-width=\"2\"/><line x1=\"11\" y1=\"1\" x2=\"11\" y2=\"11\" "
        "stroke=\"{0}\" stroke-width=\"4\"/>",
        c);
  else if (k.shape == "rollback")
    shape = fmt::format("<path d=\"M4 1 L18 1 L11 11 Z\" fill=\"{}\"/>", c);
  else
    shape = fmt::format("<rect x=\"5\" y=\"0\" width=\"12\" height=\"12\" fill=\"{}\"/>", c);
  return "<svg class=\"swatch\" width=\"22\" height=\"12\" viewBox=\"0 0 22 12\" "
         "aria-hidden=\"true\">" +
         shape + "</svg>";
}

// The position of `v` on a strip of 1000 units spanning [a, b]; infinities go to the ends.
double strip_x(double v, double a, double b) {
  if (std::isinf(v)) return v < 0 ? 0 : 1000;
  return std::clamp((v - a) / (b - a) * 1000, 0.0, 1000.0);
}

std::string strip(const range_row& r) {
  double a = std::numeric_limits<double>::infinity(), b = -a;
  for (const auto v : {r.value, r.low, r.high, r.target, std::optional<double>(r.range_low),
                       std::optional<double>(r.range_high)})
    if (v && std::isfinite(*v)) a = std::min(a, *v), b = std::max(b, *v);
  if (!std::isfinite(a)) a = 0, b = 1;
  if (b - a <= 0) {
    const double d = a == 0 ? 0.05 : std::abs(a) * 0.1;
    a -= d, b += d;
  }
  // Padding never takes a non-negative axis (shares, counts) below 0.
  const double pad = (b - a) * 0.08;
  a = a >= 0 ? std::max(0.0, a - pad) : a - pad;
  b += pad;
  std::string s = fmt::format(
      "<svg class=\"strip\" viewBox=\"0 0 1000 24\" preserveAspectRatio=\"none\" width=\"100%\" "
      "height=\"24\" role=\"img\" aria-label=\"{}\">",
      esc(r.label));
  const double x0 = strip_x(r.range_low, a, b), x1 = strip_x(r.range_high, a, b);
  s += fmt::format("<rect x=\"{:.1f}\" y=\"2\" width=\"{:.1f}\" height=\"20\" class=\"range\"/>",
                   x0, std::max(x1 - x0, 2.0));
  const std::string c = esc(r.colour);
  if (r.low && r.high) {
    const double l = strip_x(*r.low, a, b), h = strip_x(*r.high, a, b);
    s += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"12\" x2=\"{1:.1f}\" y2=\"12\" stroke=\"{2}\" class=\"ci\"/>"
        "<line x1=\"{0:.1f}\" y1=\"6\" x2=\"{0:.1f}\" y2=\"18\" stroke=\"{2}\" class=\"ci\"/>"
        "<line x1=\"{1:.1f}\" y1=\"6\" x2=\"{1:.1f}\" y2=\"18\" stroke=\"{2}\" class=\"ci\"/>",
        l, h, c);
  }
  if (r.value)
    s += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"3\" x2=\"{0:.1f}\" y2=\"21\" stroke=\"{1}\" class=\"value\"/>",
        strip_x(*r.value, a, b), c);
  // The target last, so a measured value right on it does not hide it.
  if (r.target)
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"0\" x2=\"{0:.1f}\" y2=\"24\" class=\"expected\"/>",
                     strip_x(*r.target, a, b));
  return s + fmt::format("</svg><div class=\"scale\"><span>{}</span><span>{}</span></div>",
                         esc(short_number(a)), esc(short_number(b)));
}

}  // namespace

std::string route_colour(std::string_view route) {
  if (route == "async") return "#0072b2";
  if (route == "sync") return "#e69f00";
  if (route == "all") return "#6b6b6b";
  static const char* others[] = {"#009e73", "#cc79a7", "#56b4e9", "#8c564b", "#000000"};
  std::size_t h = 0;
  for (const char c : route)
    h = h * 31 + static_cast<unsigned char>(c);
  return others[h % (sizeof others / sizeof others[0])];
}

std::string legend(const std::vector<legend_entry>& entries) {
  std::string s = "<p class=\"legend\">";
  for (const auto& k : entries)
    s += "<span class=\"key\">" + swatch(k) + escape(k.label, false) + "</span> ";
  return s + "</p>";
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
    s +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n",
                    x + w / 2, top + plot_h + 16, esc(b.label));
  }
  std::vector<legend_entry> keys;
  if (!bars.empty()) keys.push_back({unit, bars.front().colour, "box"});
  if (expected) keys.push_back({expected->label, "#2ca02c", "band"});
  return s + close_svg(legend(keys));
}

std::string bar_table(const std::string& kind, const std::string& title, const std::string& unit,
                      const std::vector<bar>& bars, const std::vector<legend_entry>& keys) {
  double max = 0;
  for (const auto& b : bars)
    max = std::max(max, b.value);
  max = nice_max(max);
  std::string s = fmt::format(
      "<figure data-chart=\"{}\"><figcaption class=\"title\">{}</figcaption>{}"
      "<table class=\"bars\"><thead><tr><th>case</th><th class=\"num\">{}</th>"
      "<th class=\"axis\"><span>0</span><span>{}</span></th></tr></thead><tbody>\n",
      esc(kind), escape(title, false), legend(keys), escape(unit, false),
      escape(short_number(max), false));
  for (const auto& b : bars)
    s += fmt::format(
        "<tr><td class=\"label\">{}</td><td class=\"num\">{}</td><td class=\"bar\">"
        "<svg viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" width=\"100%\" height=\"14\" "
        "aria-hidden=\"true\"><rect width=\"{:.1f}\" height=\"10\" fill=\"{}\"/></svg></td></tr>\n",
        escape(b.label, false), escape(short_number(b.value), false),
        std::clamp(b.value / max, 0.0, 1.0) * 1000, esc(b.colour));
  return s + "</tbody></table></figure>\n";
}

std::string line_chart(const std::string& kind, const std::string& title, const std::string& x_unit,
                       const std::string& y_unit, const std::vector<series>& lines, double x_max) {
  if (!(x_max > 0))
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
                    left + plot_w * i / 4, top + plot_h + 18, esc(short_number(x_max * i / 4)));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"unit\" text-anchor=\"middle\">{}</text>\n",
                   left + plot_w / 2, top + plot_h + 42, esc(x_unit));
  std::vector<legend_entry> keys;
  for (const auto& l : lines) {
    std::string pts;
    for (const auto& [x, y] : l.points)
      pts += fmt::format("{:.1f},{:.1f} ", left + plot_w * std::clamp(x / x_max, 0.0, 1.0),
                         top + plot_h - plot_h * std::clamp(y, 0.0, 1.0));
    s += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\">"
        "<title>{}</title></polyline>\n",
        pts, esc(l.colour), esc(l.name));
    keys.push_back({l.name, l.colour, "line"});
  }
  return s + close_svg(legend(keys));
}

std::string range_table(const std::string& kind, const std::string& title,
                        const std::vector<range_row>& rows, const std::vector<legend_entry>& keys) {
  std::string s = fmt::format(
      "<figure data-chart=\"{}\"><figcaption class=\"title\">{}</figcaption>{}"
      "<table class=\"ranges\"><tbody>\n",
      esc(kind), escape(title, false), legend(keys));
  for (const auto& r : rows)
    s += fmt::format(
        "<tr{}><td class=\"label\">{}{}<br/><small>{}</small></td>"
        "<td class=\"strip\">{}</td></tr>\n",
        r.rollback ? " class=\"rollback\"" : "",
        r.rollback ? swatch({"", "#b42318", "rollback"}) : "", escape(r.label, false),
        escape(r.note, false), strip(r));
  return s + "</tbody></table></figure>\n";
}

}  // namespace rollproof::reports::detail
