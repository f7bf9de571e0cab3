#include "rollproof/upload/event_log.hpp"

#include <boost/json.hpp>
#include <chrono>

namespace rollproof::upload {
namespace {

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

event_log::event_log(std::ostream& out) : out_{out} {}

void event_log::set_secrets(rollproof::redactor secrets) {
  std::lock_guard lock{mutex_};
  secrets_ = std::move(secrets);
}

void event_log::attempt(const attempt_event& e) {
  boost::json::object o{{"ts_us", now_us()},
                        {"event", "attempt"},
                        {"request_id", e.request_id},
                        {"route", to_string(e.via)},
                        {"provider", to_string(e.provider)},
                        {"attempt", e.attempt},
                        {"status", e.status},
                        {"duration_us", e.duration_us}};
  if (e.error) {
    o["error"] = to_string(e.error->code);
    o["message"] = e.error->message;
  } else {
    o["error"] = nullptr;
  }
  write_line(boost::json::serialize(o));
}

void event_log::note(std::string_view name, std::string_view message) {
  write_line(boost::json::serialize(
      boost::json::object{{"ts_us", now_us()}, {"event", name}, {"message", message}}));
}

void event_log::write_line(std::string line) {
  std::lock_guard lock{mutex_};
  // Server messages can echo request data back; redacting the finished line covers every field.
  out_ << secrets_.redact(line) << '\n';
  out_.flush();
}

}  // namespace rollproof::upload
