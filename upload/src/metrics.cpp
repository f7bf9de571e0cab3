#include "rollproof/upload/metrics.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

namespace rollproof::upload {
namespace {

boost::json::object histogram_json(const histogram& h) {
  boost::json::array le, cumulative;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    running += h.counts[i];
    if (i < latency_buckets_s.size())
      le.emplace_back(latency_buckets_s[i]);
    else
      le.emplace_back("+Inf");
    cumulative.emplace_back(running);
  }
  return {{"le", std::move(le)},
          {"cumulative_counts", std::move(cumulative)},
          {"sum_s", h.sum},
          {"count", h.count}};
}

std::string labels(provider_kind p, route r, std::string_view outcome) {
  std::string out = fmt::format("provider=\"{}\",route=\"{}\"", to_string(p), to_string(r));
  if (!outcome.empty()) out += fmt::format(",outcome=\"{}\"", escape_label_value(outcome));
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void histogram_samples(std::string& out, std::string_view name, const std::string& label_set,
                       const histogram& h) {
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    running += h.counts[i];
    const std::string le = i < latency_buckets_s.size() ? fmt::format("{}", latency_buckets_s[i])
                                                        : std::string{"+Inf"};
    out += fmt::format("{}_bucket{{{},le=\"{}\"}} {}\n", name, label_set, le, running);
  }
  out += fmt::format("{}_sum{{{}}} {}\n", name, label_set, h.sum);
  out += fmt::format("{}_count{{{}}} {}\n", name, label_set, h.count);
}

}  // namespace

void histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < latency_buckets_s.size() && seconds > latency_buckets_s[i])
    ++i;
  ++counts[i];
  sum += seconds;
  ++count;
}

void metrics_registry::record_attempt(provider_kind provider, route via, std::string_view outcome,
                                      double seconds) {
  std::lock_guard lock{mutex_};
  auto& t = attempts_[key{provider, via, std::string{outcome}}];
  ++t.attempts;
  t.latency.observe(seconds);
}

void metrics_registry::record_upload(provider_kind provider, route via, std::string_view outcome,
                                     std::uint64_t bytes, bool fallback, double seconds) {
  std::lock_guard lock{mutex_};
  auto& t = uploads_[key{provider, via, std::string{outcome}}];
  ++t.uploads;
  t.bytes += bytes;
  if (fallback) ++t.fallbacks;
  t.latency.observe(seconds);
}

boost::json::object metrics_registry::to_json() const {
  std::lock_guard lock{mutex_};
  boost::json::array uploads, attempts;
  boost::json::object totals;
  auto total_of = [&](provider_kind p, route r) -> boost::json::object& {
    auto& by_route = totals[to_string(p)];
    if (!by_route.is_object()) by_route = boost::json::object{};
    auto& t = by_route.get_object()[to_string(r)];
    if (!t.is_object())
      t = boost::json::object{{"uploads_ok", 0},  {"uploads_failed", 0}, {"attempts", 0},
                              {"attempts_ok", 0}, {"fallbacks", 0},      {"bytes_ok", 0}};
    return t.get_object();
  };
  auto add = [](boost::json::object& o, std::string_view k, std::uint64_t n) {
    o[k] = o[k].to_number<std::uint64_t>() + n;
  };
  for (const auto& [k, t] : uploads_) {
    const auto& [p, r, outcome] = k;
    uploads.push_back(boost::json::object{{"provider", to_string(p)},
                                          {"route", to_string(r)},
                                          {"outcome", outcome},
                                          {"uploads", t.uploads},
                                          {"bytes", t.bytes},
                                          {"fallbacks", t.fallbacks},
                                          {"latency_s", histogram_json(t.latency)}});
    auto& tot = total_of(p, r);
    add(tot, outcome == "ok" ? "uploads_ok" : "uploads_failed", t.uploads);
    add(tot, "fallbacks", t.fallbacks);
    if (outcome == "ok") add(tot, "bytes_ok", t.bytes);
  }
  for (const auto& [k, t] : attempts_) {
    const auto& [p, r, outcome] = k;
    attempts.push_back(boost::json::object{{"provider", to_string(p)},
                                           {"route", to_string(r)},
                                           {"outcome", outcome},
                                           {"attempts", t.attempts},
                                           {"latency_s", histogram_json(t.latency)}});
    auto& tot = total_of(p, r);
    add(tot, "attempts", t.attempts);
    if (outcome == "ok") add(tot, "attempts_ok", t.attempts);
  }
  return {{"uploads", std::move(uploads)},
          {"attempts", std::move(attempts)},
          {"totals", std::move(totals)}};
}

std::string metrics_registry::to_prometheus() const {
  std::lock_guard lock{mutex_};
  std::string out;
  header(out, "rollproof_upload_uploads_total", "counter",
         "Finished uploads by provider, final route and outcome.");
  for (const auto& [k, t] : uploads_)
    out += fmt::format("rollproof_upload_uploads_total{{{}}} {}\n",
                       labels(std::get<0>(k), std::get<1>(k), std::get<2>(k)), t.uploads);
  header(out, "rollproof_upload_bytes_total", "counter",
         "File bytes of finished uploads by provider, final route and outcome.");
  for (const auto& [k, t] : uploads_)
    out += fmt::format("rollproof_upload_bytes_total{{{}}} {}\n",
                       labels(std::get<0>(k), std::get<1>(k), std::get<2>(k)), t.bytes);
  header(out, "rollproof_upload_fallbacks_total", "counter",
         "Uploads that fell back from the async to the sync route, by final route and outcome.");
  for (const auto& [k, t] : uploads_)
    out += fmt::format("rollproof_upload_fallbacks_total{{{}}} {}\n",
                       labels(std::get<0>(k), std::get<1>(k), std::get<2>(k)), t.fallbacks);
  header(out, "rollproof_upload_attempts_total", "counter",
         "HTTP attempts by provider, route taken on the wire and outcome.");
  for (const auto& [k, t] : attempts_)
    out += fmt::format("rollproof_upload_attempts_total{{{}}} {}\n",
                       labels(std::get<0>(k), std::get<1>(k), std::get<2>(k)), t.attempts);
  header(out, "rollproof_upload_duration_seconds", "histogram",
         "Upload latency from request to answer, by provider, final route and outcome.");
  for (const auto& [k, t] : uploads_)
    histogram_samples(out, "rollproof_upload_duration_seconds",
                      labels(std::get<0>(k), std::get<1>(k), std::get<2>(k)), t.latency);
  header(out, "rollproof_upload_attempt_duration_seconds", "histogram",
         "HTTP attempt latency by provider, route and outcome.");
  for (const auto& [k, t] : attempts_)
    histogram_samples(out, "rollproof_upload_attempt_duration_seconds",
                      labels(std::get<0>(k), std::get<1>(k), std::get<2>(k)), t.latency);
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace rollproof::upload
