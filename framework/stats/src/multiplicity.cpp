#include "rollproof/stats/multiplicity.hpp"

#include <algorithm>
#include <numeric>

namespace rollproof::stats {
namespace {

// Indices of `p` in ascending order of p (stable, so equal p-values keep their input order).
std::vector<std::size_t> ascending(std::span<const double> p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  return order;
}

}  // namespace

const char* to_string(error_control c) {
  switch (c) {
    case error_control::holm:
      return "holm";
    case error_control::bh:
      return "bh";
    case error_control::none:
      break;
  }
  return "none";
}

std::optional<error_control> parse_error_control(std::string_view name) {
  if (name == "holm") return error_control::holm;
  if (name == "bh") return error_control::bh;
  if (name == "none") return error_control::none;
  return std::nullopt;
}

std::vector<double> holm_adjust(std::span<const double> p) {
  const auto order = ascending(p);
  const double m = static_cast<double>(p.size());
  std::vector<double> out(p.size());
  double running = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(i)) * p[order[i]]));
    out[order[i]] = running;
  }
  return out;
}

std::vector<double> bh_adjust(std::span<const double> p) {
  const auto order = ascending(p);
  const double m = static_cast<double>(p.size());
  std::vector<double> out(p.size());
  double running = 1;
  for (std::size_t i = order.size(); i-- > 0;) {
    running = std::min(running, m * p[order[i]] / static_cast<double>(i + 1));
    out[order[i]] = std::min(1.0, running);
  }
  return out;
}

std::vector<double> adjust(error_control c, std::span<const double> p) {
  switch (c) {
    case error_control::holm:
      return holm_adjust(p);
    case error_control::bh:
      return bh_adjust(p);
    case error_control::none:
      break;
  }
  return {p.begin(), p.end()};
}

}  // namespace rollproof::stats
