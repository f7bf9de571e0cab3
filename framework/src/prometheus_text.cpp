#include "prometheus_text.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>

namespace rollproof::framework::detail {
namespace {

bool name_start(char c, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

bool name_char(char c, bool colon) {
  return name_start(c, colon) || (c >= '0' && c <= '9');
}

// Reads the line's tokens left to right; every failure names the 1-based column.
class line_reader {
 public:
  line_reader(std::string_view line, std::size_t number) : line_(line), number_(number) {}

  // `what` at the current position, or at 0-based `at`.
  [[nodiscard]] std::string error(const std::string& what,
                                  std::size_t at = std::string_view::npos) const {
    return fmt::format("line {}:{}: {}", number_, (at == std::string_view::npos ? pos_ : at) + 1,
                       what);
  }
  [[nodiscard]] bool at_end() const { return pos_ >= line_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : line_[pos_]; }
  void skip_blanks() {
    while (!at_end() && (line_[pos_] == ' ' || line_[pos_] == '\t'))
      ++pos_;
  }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // A metric name (colons allowed) or a label name (no colons); empty when none starts here.
  std::string name(bool colon) {
    const std::size_t from = pos_;
    if (at_end() || !name_start(line_[pos_], colon)) return {};
    while (!at_end() && name_char(line_[pos_], colon))
      ++pos_;
    return std::string(line_.substr(from, pos_ - from));
  }
  // A double-quoted label value with \\, \" and \n escapes.
  std::expected<std::string, std::string> quoted() {
    if (!take('"')) return std::unexpected(error("expected '\"' to open a label value"));
    std::string out;
    while (!at_end() && line_[pos_] != '"') {
      char c = line_[pos_++];
      if (c == '\\') {
        const std::size_t backslash = pos_ - 1;
        if (at_end()) break;
        const char e = line_[pos_++];
        if (e == 'n')
          c = '\n';
        else if (e == '\\' || e == '"')
          c = e;
        else
          return std::unexpected(
              error(fmt::format("unknown escape '\\{}' in a label value", e), backslash));
      }
      out += c;
    }
    if (!take('"')) return std::unexpected(error("unterminated label value"));
    return out;
  }
  // The rest up to a blank: a float (also NaN, +Inf, -Inf) or an integer timestamp.
  std::string token() {
    const std::size_t from = pos_;
    while (!at_end() && line_[pos_] != ' ' && line_[pos_] != '\t')
      ++pos_;
    return std::string(line_.substr(from, pos_ - from));
  }
  [[nodiscard]] std::string rest() const { return std::string(line_.substr(pos_)); }

 private:
  std::string_view line_;
  std::size_t number_;
  std::size_t pos_ = 0;
};

std::optional<double> float_of(const std::string& s) {
  if (s == "+Inf" || s == "Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  if (s == "NaN") return NAN;
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The metric family a sample belongs to: histogram and summary samples carry a suffix.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    if (!name.ends_with(suffix)) continue;
    const std::string base = name.substr(0, name.size() - std::string_view(suffix).size());
    const auto it = types.find(base);
    if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
  }
  return name;
}

}  // namespace

std::expected<std::vector<prometheus_sample>, std::string> parse_prometheus_text(
    std::string_view text) {
  std::vector<prometheus_sample> out;
  std::map<std::string, std::string> types;
  std::set<std::string> sampled_families, seen_series;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    line_reader r(line, ++number);
    r.skip_blanks();
    if (r.at_end()) continue;
    if (r.take('#')) {
      r.skip_blanks();
      const std::string keyword = r.name(false);
      if (keyword != "HELP" && keyword != "TYPE") continue;  // any other comment
      r.skip_blanks();
      const std::string metric = r.name(true);
      if (metric.empty())
        return std::unexpected(r.error("expected a metric name after " + keyword));
      if (keyword == "HELP") continue;
      r.skip_blanks();
      const std::string type = r.token();
      r.skip_blanks();
      if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
          type != "untyped")
        return std::unexpected(r.error(fmt::format("unknown metric type '{}'", type)));
      if (!r.at_end()) return std::unexpected(r.error("unexpected text after the metric type"));
      if (!types.emplace(metric, type).second)
        return std::unexpected(r.error(fmt::format("a second TYPE line for {}", metric)));
      if (sampled_families.contains(metric))
        return std::unexpected(r.error(fmt::format("TYPE of {} after its samples", metric)));
      continue;
    }
    prometheus_sample s;
    s.name = r.name(true);
    if (s.name.empty()) return std::unexpected(r.error("expected a metric name"));
    if (r.take('{')) {
      r.skip_blanks();
      while (!r.take('}')) {
        const std::string label = r.name(false);
        if (label.empty()) return std::unexpected(r.error("expected a label name or '}'"));
        r.skip_blanks();
        if (!r.take('=')) return std::unexpected(r.error("expected '=' after the label name"));
        r.skip_blanks();
        auto value = r.quoted();
        if (!value) return std::unexpected(value.error());
        if (!s.labels.emplace(label, std::move(*value)).second)
          return std::unexpected(r.error(fmt::format("label {} given twice", label)));
        r.skip_blanks();
        if (r.take(',')) {
          r.skip_blanks();
        } else if (r.peek() != '}') {
          return std::unexpected(r.error("expected ',' or '}' after a label"));
        }
      }
    }
    if (r.peek() != ' ' && r.peek() != '\t')
      return std::unexpected(r.error("expected a blank before the sample value"));
    r.skip_blanks();
    const std::string value_text = r.token();
    const auto value = float_of(value_text);
    if (!value) return std::unexpected(r.error(fmt::format("'{}' is not a number", value_text)));
    s.value = *value;
    r.skip_blanks();
    if (!r.at_end()) {
      const std::string ts = r.token();
      r.skip_blanks();
      if (ts.find_first_not_of("-0123456789") != std::string::npos || !r.at_end())
        return std::unexpected(r.error("expected an integer timestamp or the end of the line"));
    }
    const std::string family = family_of(s.name, types);
    const auto type = types.find(family);
    if (type != types.end() && type->second == "counter" && !(s.value >= 0))
      return std::unexpected(
          r.error(fmt::format("counter {} has the negative or NaN value {}", s.name, value_text)));
    std::string series = s.name;
    for (const auto& [k, v] : s.labels)
      series += fmt::format("\x1f{}={}", k, v);
    if (!seen_series.insert(series).second)
      return std::unexpected(
          r.error(fmt::format("a second sample of {} with the same labels", s.name)));
    sampled_families.insert(family);
    out.push_back(std::move(s));
  }
  return out;
}

double sum_of(const std::vector<prometheus_sample>& samples, std::string_view name,
              const std::map<std::string, std::string>& match) {
  double sum = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : match) {
      const auto it = s.labels.find(k);
      all = all && it != s.labels.end() && it->second == v;
    }
    if (all) sum += s.value;
  }
  return sum;
}

}  // namespace rollproof::framework::detail
