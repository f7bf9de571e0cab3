#pragma once
// The upload ledger: one entry per provider request, as DESIGN.md specifies, plus counters.

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollproof::mock {

// What the mock saw of one request; bytes and sha256 are of the uploaded file part.
struct ledger_entry {
  std::uint64_t seq = 0;  // assigned by the ledger, monotonic for the process lifetime
  std::optional<std::string> request_id;
  std::string method;
  std::string path;
  unsigned status = 0;  // 0 when no response was sent (reset, close, stall)
  std::optional<std::string> file_id;
  std::optional<std::string> filename;
  std::optional<std::string> purpose;
  std::optional<std::uint64_t> bytes;
  std::optional<std::string> sha256;
  std::optional<std::string> user_agent;
  std::optional<std::string> route;
  std::optional<std::string> fault;
  std::optional<std::string> api_version;  // the kimi-api-version header as sent
  std::optional<std::string> auth;  // the accepted credential's form (credentials.hpp), if any
  std::uint64_t duration_us = 0;
  std::uint64_t body_bytes = 0;  // whole request body received, for stats only
};

// The `x` of a User-Agent containing `(route=x)`, or nullopt.
[[nodiscard]] std::optional<std::string> route_of(std::string_view user_agent);

// One entry as the JSON object of GET /_mock/ledger.
[[nodiscard]] boost::json::object to_json(const ledger_entry& e);

// Thread-safe list of entries and the counters of GET /_mock/stats.
class ledger {
 public:
  // Appends `e`, giving it the next seq, and counts it; returns the seq.
  std::uint64_t record(ledger_entry e);
  // Entries with seq > since, in order, as a JSON array.
  [[nodiscard]] boost::json::array since(std::uint64_t since) const;
  // {requests, by_status, by_fault, bytes_in, last_seq}.
  [[nodiscard]] boost::json::object stats() const;
  // Forgets entries and counters; seq keeps increasing so `since` cursors stay valid.
  void clear();
  // The seq of the newest entry ever recorded (0 if none).
  [[nodiscard]] std::uint64_t last_seq() const;
  // Counts an admin request refused for a missing or wrong token (never a ledger entry); the
  // method and path are kept, made printable ASCII and cut to 200 bytes, for the newest 32.
  void record_admin_refusal(std::string_view method, std::string_view path);
  // {"count": refusals ever (clear() keeps it, like seq), "newest": [{"n","method","path"}...]},
  // where n numbers the refusals from 1, oldest first.
  [[nodiscard]] boost::json::object admin_refusals() const;

 private:
  mutable std::mutex mutex_;
  std::vector<ledger_entry> entries_;
  std::uint64_t last_seq_ = 0;
  std::uint64_t requests_ = 0;
  std::uint64_t bytes_in_ = 0;
  std::map<unsigned, std::uint64_t> by_status_;
  std::map<std::string, std::uint64_t> by_fault_;
  struct refusal {
    std::uint64_t n;
    std::string method, path;
  };
  std::uint64_t admin_refused_ = 0;
  std::vector<refusal> refusals_;  // the newest, at most 32
};

}  // namespace rollproof::mock
