#pragma once
// Multiple testing: adjusted p-values for a family of tests, as R's p.adjust computes them, and
// the per-test levels at which the step-down (Holm) and step-up (Benjamini-Hochberg) procedures
// compare the sorted p-values.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace rollproof::stats {

// How a family of tests controls its errors.
enum class error_control { holm, bh, none };

// "holm", "bh" or "none".
[[nodiscard]] const char* to_string(error_control c);
// Parses "holm", "bh" or "none"; nullopt for anything else.
[[nodiscard]] std::optional<error_control> parse_error_control(std::string_view name);

// Holm's (1979) step-down adjusted p-values in the input's order: p.adjust(p, "holm"), i.e. the
// running maximum of min(1, (m - i + 1) p_(i)) over the ascending p-values.
[[nodiscard]] std::vector<double> holm_adjust(std::span<const double> p);

// Benjamini-Hochberg (1995) adjusted p-values in the input's order: p.adjust(p, "BH"), i.e. the
// running minimum from the largest of min(1, m p_(i) / i).
[[nodiscard]] std::vector<double> bh_adjust(std::span<const double> p);

// The adjusted p-values under `c` (the p-values themselves for none).
[[nodiscard]] std::vector<double> adjust(error_control c, std::span<const double> p);

}  // namespace rollproof::stats
