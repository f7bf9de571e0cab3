#include <fmt/format.h>

#include <cmath>
#include <set>
#include <string>

#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {
namespace {

// Collects every problem of one claim table so the author fixes them all in one pass.
class reader {
 public:
  reader(const toml::table& t, std::string_view file) : table_(t), file_(file) {}

  void error(const toml::node& at, std::string message) {
    rollproof::diagnostic d;
    d.where = position(at);
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  rollproof::source_position position(const toml::node& at) const {
    const auto& begin = at.source().begin.line != 0 ? at.source().begin : table_.source().begin;
    return {std::string(file_), static_cast<std::uint32_t>(begin.line),
            static_cast<std::uint32_t>(begin.column)};
  }

  std::optional<std::string> string_at(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (auto v = n->value<std::string>(); v && n->is_string()) return *v;
    error(*n, fmt::format("claim '{}' must be a string", key));
    return std::nullopt;
  }

  std::optional<double> number_at(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (n->is_number()) {
      const double v = *n->value<double>();
      if (std::isfinite(v)) return v;
    }
    error(*n, fmt::format("'{}' must be a finite number", key));
    return std::nullopt;
  }

  std::map<std::string, std::string> selector_at(std::string_view key) {
    std::map<std::string, std::string> out;
    const toml::node* n = table_.get(key);
    if (n == nullptr) return out;
    const auto* t = n->as_table();
    if (t == nullptr) {
      error(*n, fmt::format("claim '{}' must be a table of parameter = value (glob)", key));
      return out;
    }
    for (const auto& [k, v] : *t) {
      if (v.is_string()) {
        out[std::string(k.str())] = *v.value<std::string>();
      } else if (v.is_integer()) {
        out[std::string(k.str())] = std::to_string(*v.value<std::int64_t>());
      } else if (v.is_floating_point()) {
        out[std::string(k.str())] = fmt::format("{}", *v.value<double>());
      } else if (v.is_boolean()) {
        out[std::string(k.str())] = *v.value<bool>() ? "true" : "false";
      } else {
        error(v, fmt::format("selector '{}.{}' must be a string, number or boolean", key, k.str()));
      }
    }
    return out;
  }

  void unknown_keys(const toml::table& t, const std::set<std::string_view>& known,
                    std::string_view where) {
    for (const auto& [k, v] : t)
      if (!known.contains(k.str())) error(v, fmt::format("unknown key '{}' in {}", k.str(), where));
  }

  const toml::table& table() const { return table_; }
  rollproof::diagnostics& out() { return out_; }

 private:
  const toml::table& table_;
  std::string_view file_;
  rollproof::diagnostics out_;
};

const std::set<std::string_view> relation_keys = {"ratio", "reduction", "at_least", "at_most",
                                                  "proportion"};

// Reads the relation keys of `t` (the claim itself or its `expect` table) into `spec`.
void read_relation(reader& r, const toml::table& t, claim_spec& spec, bool& seen) {
  auto claim_kind = [&](relation_kind k, const toml::node& at) {
    if (seen && spec.relation != k) {
      r.error(at, "a claim states one relation: ratio, reduction, at_least/at_most or proportion");
      return false;
    }
    seen = true;
    spec.relation = k;
    return true;
  };
  for (const char* key : {"ratio", "reduction"}) {
    const toml::node* n = t.get(key);
    if (n == nullptr) continue;
    const relation_kind k =
        std::string_view(key) == "ratio" ? relation_kind::ratio : relation_kind::reduction;
    if (!claim_kind(k, *n)) continue;
    const auto* range = n->as_table();
    if (range == nullptr) {
      r.error(*n, fmt::format("'{}' must be a table {{ min = .., max = .. }}", key));
      continue;
    }
    r.unknown_keys(*range, {"min", "max"}, key);
    spec.min = r.number_at(*range, "min");
    spec.max = r.number_at(*range, "max");
    if (!spec.min && !spec.max) r.error(*n, fmt::format("'{}' needs min, max or both", key));
  }
  const toml::node* least = t.get("at_least");
  const toml::node* most = t.get("at_most");
  if (least != nullptr || most != nullptr) {
    if (claim_kind(relation_kind::bound, least != nullptr ? *least : *most)) {
      spec.min = r.number_at(t, "at_least");
      spec.max = r.number_at(t, "at_most");
    }
  }
  if (const toml::node* n = t.get("proportion")) {
    if (claim_kind(relation_kind::proportion, *n)) {
      if (const auto* p = n->as_table()) {
        r.unknown_keys(*p, {"equals", "tolerance"}, "proportion");
        spec.equals = r.number_at(*p, "equals");
        spec.tolerance = r.number_at(*p, "tolerance");
        if (!spec.equals || !spec.tolerance || *spec.tolerance < 0)
          r.error(*n, "'proportion' needs equals and a non-negative tolerance");
        else {
          spec.min = *spec.equals - *spec.tolerance;
          spec.max = *spec.equals + *spec.tolerance;
        }
      } else {
        r.error(*n, "'proportion' must be a table { equals = .., tolerance = .. }");
      }
    }
  }
}

}  // namespace

std::expected<claim_spec, rollproof::diagnostics> parse_claim(const toml::table& t,
                                                              std::string_view file) {
  reader r(t, file);
  claim_spec spec;
  spec.where = r.position(t);
  r.unknown_keys(
      t, {"id",          "text",        "source",     "metric",       "percentile", "statistic",
          "baseline",    "candidate",   "cases",      "expect",       "ratio",      "reduction",
          "at_least",    "at_most",     "proportion", "unverifiable", "confidence", "resamples",
          "min_samples", "as_measured", "note"},
      "[[claim]]");
  if (auto v = r.string_at(t, "id")) spec.id = *v;
  if (spec.id.empty() && t.get("id") == nullptr) r.error(t, "a claim needs 'id'");
  if (auto v = r.string_at(t, "text")) spec.text = *v;
  if (t.get("text") == nullptr) r.error(t, "a claim needs 'text' (the wording it checks)");
  if (auto v = r.string_at(t, "source")) spec.source = *v;
  if (auto v = r.string_at(t, "note")) spec.note = *v;
  if (auto v = r.string_at(t, "unverifiable")) {
    spec.unverifiable = *v;
    if (spec.unverifiable.empty()) r.error(*t.get("unverifiable"), "'unverifiable' needs a reason");
  }
  if (auto v = r.string_at(t, "metric")) spec.metric = *v;
  if (auto v = r.string_at(t, "statistic")) {
    spec.statistic = *v;
    const bool percentile_name =
        spec.statistic.size() > 1 && spec.statistic[0] == 'p' &&
        spec.statistic.find_first_not_of("0123456789.", 1) == std::string::npos;
    if (spec.statistic != "mean" && spec.statistic != "median" && !percentile_name)
      r.error(*t.get("statistic"), "'statistic' must be \"mean\", \"median\" or \"pNN\"");
  }
  if (auto v = r.number_at(t, "percentile")) {
    if (*v <= 0 || *v >= 100) r.error(*t.get("percentile"), "'percentile' must lie in (0, 100)");
    spec.percentile = *v;
  }
  if (auto v = r.number_at(t, "confidence")) {
    if (*v <= 0 || *v >= 1)
      r.error(*t.get("confidence"), "'confidence' must lie in (0, 1)");
    else
      spec.confidence = *v;
  }
  if (auto v = r.number_at(t, "resamples")) {
    if (*v < 100 || *v > 100000 || *v != std::floor(*v))
      r.error(*t.get("resamples"), "'resamples' must be an integer in [100, 100000]");
    else
      spec.resamples = static_cast<unsigned>(*v);
  }
  if (auto v = r.number_at(t, "min_samples")) {
    if (*v < 1 || *v > 1e9 || *v != std::floor(*v))
      r.error(*t.get("min_samples"), "'min_samples' must be a positive integer");
    else
      spec.min_samples = static_cast<unsigned>(*v);
  }
  if (const toml::node* n = t.get("as_measured")) {
    if (n->is_boolean())
      spec.as_measured = *n->value<bool>();
    else
      r.error(*n, "'as_measured' must be true or false");
  }
  spec.baseline = r.selector_at("baseline");
  spec.candidate = r.selector_at("candidate");
  spec.cases = r.selector_at("cases");

  bool seen = false;
  read_relation(r, t, spec, seen);
  if (const toml::node* e = t.get("expect")) {
    if (const auto* et = e->as_table()) {
      r.unknown_keys(*et, relation_keys, "claim 'expect'");
      read_relation(r, *et, spec, seen);
    } else {
      r.error(*e, "'expect' must be a table, e.g. { ratio = { min = 5, max = 10 } }");
    }
  }

  if (spec.unverifiable.empty()) {
    if (spec.metric.empty() && t.get("metric") == nullptr)
      r.error(t, "a claim needs 'metric' (or 'unverifiable = \"reason\"')");
    if (!seen)
      r.error(t, "a claim needs a relation: ratio, reduction, at_least/at_most or proportion");
  }
  if (spec.min && spec.max && *spec.min > *spec.max)
    r.error(t, fmt::format("the claimed range is empty: min {} > max {}", *spec.min, *spec.max));
  const bool comparative =
      spec.relation == relation_kind::ratio || spec.relation == relation_kind::reduction;
  if (comparative && (spec.baseline.empty() || spec.candidate.empty()))
    r.error(t, "a ratio or reduction claim needs 'baseline' and 'candidate' selectors");
  if (!comparative && !spec.baseline.empty())
    r.error(*t.get("baseline"), "'baseline' only applies to ratio and reduction claims");
  if (spec.percentile && spec.metric != "latency_ms")
    r.error(*t.get("percentile"), "'percentile' only applies to metric latency_ms");

  if (!r.out().empty()) return std::unexpected(std::move(r.out()));
  return spec;
}

}  // namespace rollproof::claims
