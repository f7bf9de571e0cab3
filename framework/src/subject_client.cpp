#include "rollproof/framework/subject_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace rollproof::framework {

namespace {
using clock = std::chrono::steady_clock;
constexpr auto default_send_timeout = std::chrono::seconds(10);
}  // namespace

std::expected<std::unique_ptr<subject_client>, std::string> subject_client::start(
    const std::vector<std::string>& command, std::chrono::milliseconds timeout,
    std::vector<std::string> secrets, const std::atomic<int>* stop) {
  auto process = child_process::start(command, 100000, secrets);
  if (!process) return std::unexpected(process.error());
  std::unique_ptr<subject_client> self(new subject_client());
  self->process_ = std::move(*process);
  self->secrets_ = std::move(secrets);
  self->stop_ = stop;
  auto hello = self->call({{"op", "hello"}, {"protocol", 1}}, clock::now() + timeout);
  if (!hello) {
    const auto ended = self->process_->wait(clock::now());
    return std::unexpected(fmt::format("subject hello failed: {} (subject {}); stderr: {}",
                                       hello.error(), ended.describe(),
                                       self->process_->stderr_tail()));
  }
  self->hello_ = std::move(*hello);
  return self;
}

std::expected<void, std::string> subject_client::send(const boost::json::object& request,
                                                      clock::time_point deadline) {
  const auto from = clock::now();
  switch (process_->write_line(boost::json::serialize(request), deadline, stop_)) {
    case write_status::written:
      return {};
    case write_status::timeout:
      return std::unexpected(fmt::format(
          "the subject stopped reading its input (a request waited {:.1f} s for room in its stdin)",
          std::chrono::duration<double>(clock::now() - from).count()));
    case write_status::stopped:
      return std::unexpected("stopped by a signal while the subject was not reading its input");
    case write_status::closed:
      break;
  }
  return std::unexpected(process_->input_abandoned()
                             ? "the subject stopped reading its input (stdin abandoned)"
                             : "stdin closed");
}

bool subject_client::send(const boost::json::object& request) {
  return send(request, clock::now() + default_send_timeout).has_value();
}

bool subject_client::take(subject_answer& a) {
  boost::system::error_code ec;
  auto v = boost::json::parse(a.raw, ec);
  if (ec || !v.is_object()) return false;  // a stray log line on stdout: no use to the protocol
  a.message = std::move(v.as_object());
  // The raw bytes were scanned as they arrived; the parsed answer shows a key that JSON escapes
  // ("\u0073k-...") hid from that scan.
  if (!answer_leaked_ && !secrets_.empty()) {
    const std::string text = boost::json::serialize(a.message);
    answer_leaked_ = std::any_of(secrets_.begin(), secrets_.end(), [&](const std::string& s) {
      return !s.empty() && text.find(s) != std::string::npos;
    });
  }
  return true;
}

subject_answer subject_client::next(clock::time_point deadline) {
  if (!kept_.empty()) {
    subject_answer a = std::move(kept_.front());
    kept_.pop_front();
    return a;
  }
  subject_answer a;
  for (;;) {
    a.status = process_->read_line(a.raw, deadline);
    if (a.status != read_status::line || take(a)) return a;
  }
}

std::expected<boost::json::object, std::string> subject_client::call(boost::json::object request,
                                                                     clock::time_point deadline) {
  const std::string id = fmt::format("rp-{}", ++next_id_);
  request["id"] = id;
  const std::string op = request.contains("op") ? std::string(request["op"].as_string()) : "?";
  if (auto sent = send(request, deadline); !sent)
    return std::unexpected(fmt::format("cannot send '{}': {}", op, sent.error()));
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
    if (!take(a)) continue;
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

exit_info subject_client::finish(clock::time_point deadline) {
  if (!process_->try_wait()) {
    if (!process_->input_abandoned()) (void)call({{"op", "shutdown"}}, deadline);
    process_->close_stdin();
  }
  // A subject that does not read its input would never see the shutdown nor the end of input.
  return process_->wait(process_->input_abandoned() ? clock::now() : deadline);
}

bool subject_client::has_capability(std::string_view capability) const {
  const auto* caps = hello_.if_contains("capabilities");
  if (caps == nullptr || !caps->is_array()) return false;
  for (const auto& c : caps->as_array()) {
    if (c.is_string() && c.as_string() == capability) return true;
  }
  return false;
}

std::string subject_client::leak_seen_in() const {
  const std::string stream = process_->watched_seen_in();
  if (!stream.empty()) return "the subject's " + stream;
  return answer_leaked_ ? "an answer of the subject" : "";
}

}  // namespace rollproof::framework
