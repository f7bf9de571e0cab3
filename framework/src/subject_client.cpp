#include "rollproof/framework/subject_client.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace rollproof::framework {

std::expected<std::unique_ptr<subject_client>, std::string> subject_client::start(
    const std::vector<std::string>& command, std::chrono::milliseconds timeout) {
  auto process = child_process::start(command);
  if (!process) return std::unexpected(process.error());
  std::unique_ptr<subject_client> self(new subject_client());
  self->process_ = std::move(*process);
  auto hello =
      self->call({{"op", "hello"}, {"protocol", 1}}, std::chrono::steady_clock::now() + timeout);
  if (!hello) {
    const auto ended = self->process_->wait(std::chrono::steady_clock::now());
    return std::unexpected(fmt::format("subject hello failed: {} (subject {}); stderr: {}",
                                       hello.error(), ended.describe(),
                                       self->process_->stderr_tail()));
  }
  self->hello_ = std::move(*hello);
  return self;
}

bool subject_client::send(const boost::json::object& request) {
  return process_->write_line(boost::json::serialize(request));
}

subject_answer subject_client::next(std::chrono::steady_clock::time_point deadline) {
  if (!kept_.empty()) {
    subject_answer a = std::move(kept_.front());
    kept_.pop_front();
    return a;
  }
  subject_answer a;
  for (;;) {
    a.status = process_->read_line(a.raw, deadline);
    if (a.status != read_status::line) return a;
    boost::system::error_code ec;
    auto v = boost::json::parse(a.raw, ec);
    if (!ec && v.is_object()) {
      a.message = std::move(v.as_object());
      return a;
    }
    // Not an answer (a stray log line on stdout): the protocol has no use for it.
  }
}

std::expected<boost::json::object, std::string> subject_client::call(
    boost::json::object request, std::chrono::steady_clock::time_point deadline) {
  const std::string id = fmt::format("rp-{}", ++next_id_);
  request["id"] = id;
  const std::string op = request.contains("op") ? std::string(request["op"].as_string()) : "?";
  if (!send(request)) return std::unexpected(fmt::format("cannot send '{}': stdin closed", op));
  std::deque<subject_answer> others;
  std::expected<boost::json::object, std::string> result =
      std::unexpected(fmt::format("no answer to '{}' in time", op));
  for (;;) {
    subject_answer a;
    a.status = process_->read_line(a.raw, deadline);
    if (a.status == read_status::eof) {
      result = std::unexpected(fmt::format("subject closed stdout before answering '{}'", op));
      break;
    }
    if (a.status == read_status::timeout) break;
    boost::system::error_code ec;
    auto v = boost::json::parse(a.raw, ec);
    if (ec || !v.is_object()) continue;
    a.message = std::move(v.as_object());
    const auto* answer_id = a.message.if_contains("id");
    if (answer_id != nullptr && answer_id->is_string() && answer_id->as_string() == id) {
      const auto* ok = a.message.if_contains("ok");
      if (ok != nullptr && ok->is_bool() && ok->as_bool()) {
        result = std::move(a.message);
      } else {
        result =
            std::unexpected(fmt::format("'{}' failed: {}", op, boost::json::serialize(a.message)));
      }
      break;
    }
    others.push_back(std::move(a));
  }
  for (auto& o : others)
    kept_.push_back(std::move(o));
  return result;
}

exit_info subject_client::finish(std::chrono::steady_clock::time_point deadline) {
  if (!process_->try_wait()) {
    (void)call({{"op", "shutdown"}}, deadline);
    process_->close_stdin();
  }
  return process_->wait(deadline);
}

bool subject_client::has_capability(std::string_view capability) const {
  const auto* caps = hello_.if_contains("capabilities");
  if (caps == nullptr || !caps->is_array()) return false;
  for (const auto& c : caps->as_array()) {
    if (c.is_string() && c.as_string() == capability) return true;
  }
  return false;
}

}  // namespace rollproof::framework
