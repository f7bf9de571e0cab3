#include "rollproof/mock/ledger.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "rollproof/mock/utf8.hpp"

namespace rollproof::mock {

namespace json = boost::json;

namespace {

template <typename T>
json::value optional_value(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value_from(*v);
}

// `text` as printable ASCII (other bytes become '?'), at most 200 bytes: it came from a client.
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 200));
  for (char& c : out)
    if (c < 0x20 || c > 0x7e) c = '?';
  return out;
}

constexpr std::size_t refusals_kept = 32;

}  // namespace

std::optional<std::string> route_of(std::string_view user_agent) {
  constexpr std::string_view marker = "(route=";
  const auto at = user_agent.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  const auto begin = at + marker.size();
  const auto end = user_agent.find(')', begin);
  if (end == std::string_view::npos || end == begin) return std::nullopt;
  return std::string(user_agent.substr(begin, end - begin));
}

json::object to_json(const ledger_entry& e) {
  return json::object{{"seq", e.seq},
                      {"request_id", optional_value(e.request_id)},
                      {"method", e.method},
                      {"path", e.path},
                      {"status", e.status},
                      {"file_id", optional_value(e.file_id)},
                      {"filename", optional_value(e.filename)},
                      {"purpose", optional_value(e.purpose)},
                      {"bytes", optional_value(e.bytes)},
                      {"sha256", optional_value(e.sha256)},
                      {"user_agent", optional_value(e.user_agent)},
                      {"route", optional_value(e.route)},
                      {"fault", optional_value(e.fault)},
                      {"api_version", optional_value(e.api_version)},
                      {"auth", optional_value(e.auth)},
                      {"duration_us", e.duration_us}};
}

std::uint64_t ledger::record(ledger_entry e) {
  // The last line of defence for what clients sent: the ledger is served as JSON.
  for (auto* text : {&e.request_id, &e.file_id, &e.filename, &e.purpose, &e.user_agent, &e.route,
                     &e.api_version})
    if (*text && !is_utf8(**text)) *text = to_utf8(**text);
  if (!is_utf8(e.path)) e.path = to_utf8(e.path);
  const std::lock_guard lock(mutex_);
  e.seq = ++last_seq_;
  ++requests_;
  bytes_in_ += e.body_bytes;
  ++by_status_[e.status];
  if (e.fault) ++by_fault_[*e.fault];
  entries_.push_back(std::move(e));
  return last_seq_;
}

json::array ledger::since(std::uint64_t since) const {
  const std::lock_guard lock(mutex_);
  json::array out;
  auto first = std::upper_bound(entries_.begin(), entries_.end(), since,
                                [](std::uint64_t s, const ledger_entry& e) { return s < e.seq; });
  for (auto it = first; it != entries_.end(); ++it)
    out.push_back(to_json(*it));
  return out;
}

json::object ledger::stats() const {
  const std::lock_guard lock(mutex_);
  json::object status;
  for (const auto& [code, n] : by_status_)
    status[std::to_string(code)] = n;
  json::object fault;
  for (const auto& [name, n] : by_fault_)
    fault[name] = n;
  return json::object{{"requests", requests_},
                      {"by_status", std::move(status)},
                      {"by_fault", std::move(fault)},
                      {"bytes_in", bytes_in_},
                      {"last_seq", last_seq_}};
}

void ledger::clear() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
  requests_ = 0;
  bytes_in_ = 0;
  by_status_.clear();
  by_fault_.clear();
}

std::uint64_t ledger::last_seq() const {
  const std::lock_guard lock(mutex_);
  return last_seq_;
}

void ledger::record_admin_refusal(std::string_view method, std::string_view path) {
  const std::lock_guard lock(mutex_);
  ++admin_refused_;
  if (refusals_.size() == refusals_kept) refusals_.erase(refusals_.begin());
  refusals_.push_back({admin_refused_, printable(method), printable(path)});
}

json::object ledger::admin_refusals() const {
  const std::lock_guard lock(mutex_);
  json::array newest;
  for (const auto& r : refusals_)
    newest.push_back(json::object{{"n", r.n}, {"method", r.method}, {"path", r.path}});
  return json::object{{"count", admin_refused_}, {"newest", std::move(newest)}};
}

}  // namespace rollproof::mock
