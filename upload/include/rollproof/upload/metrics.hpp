#pragma once
// Counters and latency histograms per provider, route and outcome, as JSON and Prometheus text.

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "rollproof/upload/provider.hpp"
#include "rollproof/upload/transport.hpp"

namespace rollproof::upload {

// Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
inline constexpr std::array<double, 12> latency_buckets_s{0.005, 0.01, 0.025, 0.05, 0.1,  0.25,
                                                          0.5,   1.0,  2.5,   5.0,  10.0, 30.0};

// A fixed-bucket histogram (counts per bucket are not cumulative here; exposition makes them so).
struct histogram {
  std::array<std::uint64_t, latency_buckets_s.size() + 1> counts{};  // last = +Inf
  double sum = 0.0;
  std::uint64_t count = 0;
  // Adds one observation in seconds.
  void observe(double seconds);
};

// Thread-safe registry of the subject's metrics; the JSON shape is documented in upload/README.md.
class metrics_registry {
 public:
  // Counts one HTTP attempt on the route it really took; outcome is "ok" or an error code.
  void record_attempt(provider_kind provider, route via, std::string_view outcome, double seconds);
  // Counts one finished upload under the route the flag chose; outcome is "ok" or an error code.
  void record_upload(provider_kind provider, route via, std::string_view outcome,
                     std::uint64_t bytes, bool fallback, double seconds);
  // Every counter and histogram as JSON (see upload/README.md).
  [[nodiscard]] boost::json::object to_json() const;
  // The Prometheus text exposition format (version 0.0.4).
  [[nodiscard]] std::string to_prometheus() const;

 private:
  using key = std::tuple<provider_kind, route, std::string>;
  struct upload_totals {
    std::uint64_t uploads = 0, bytes = 0, fallbacks = 0;
    histogram latency;
  };
  struct attempt_totals {
    std::uint64_t attempts = 0;
    histogram latency;
  };
  mutable std::mutex mutex_;
  std::map<key, upload_totals> uploads_;
  std::map<key, attempt_totals> attempts_;
};

// Escapes a Prometheus label value: backslash, double quote and newline.
[[nodiscard]] std::string escape_label_value(std::string_view value);

}  // namespace rollproof::upload
