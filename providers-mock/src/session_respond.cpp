#include <fmt/format.h>

#include <boost/asio/write.hpp>

#include "admin.hpp"
#include "response_wire.hpp"
#include "session.hpp"

namespace rollproof::mock {

void session::record(unsigned status) {
  if (recorded_ || entry_.method.empty()) return;
  recorded_ = true;
  entry_.status = status;
  entry_.body_bytes = body_bytes_;
  entry_.duration_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started_).count());
  state_.log.record(entry_);
}

void session::finish_admin() {
  reply r = admin_body_too_large_
                ? reply{413, R"({"error":"admin request body over 1 MiB"})", "application/json", {}}
                : admin_reply(state_, std::string(parser_->get().method_string()), path_, query_,
                              admin_body_);
  respond(std::move(r), false);
}

void session::respond(reply r, bool replaced_by_fault) {
  const bool truncate = !replaced_by_fault && fault_is(action_kind::truncate);
  const bool slow_close = fault_is(action_kind::slow_close);
  if (state_.draining || truncate || slow_close) keep_alive_ = false;
  std::optional<std::pair<std::string_view, std::string>> request_id;
  if (use_ != body_use::admin)
    request_id.emplace(state_.api.request_id_header(),
                       versioned_ ? versioned_->request_id() : state_.api.next_request_id());
  const unsigned status = r.status;
  wire_ = response_wire(std::move(r), request_id, keep_alive_);
  written_ = 0;
  write_limit_ = wire_.size();
  if (truncate) {
    const std::size_t header_end = wire_.find("\r\n\r\n") + 4;
    const std::size_t body = wire_.size() - header_end;
    const std::size_t keep = fault_->action.bytes
                                 ? static_cast<std::size_t>(std::min<std::uint64_t>(
                                       *fault_->action.bytes, body == 0 ? 0 : body - 1))
                                 : body / 2;
    write_limit_ = header_end + keep;
  }
  if (slow_close) close_delay_ = std::chrono::milliseconds(fault_->action.delay_ms);
  close_after_ = close_after_ || !keep_alive_;
  response_rate_ = fault_is(action_kind::bandwidth) ? fault_->action.response_bytes_per_s : 0;
  // Recorded before the first byte leaves, so a client that reads the ledger right after its
  // response always finds the entry.
  if (use_ != body_use::admin) record(status);
  write_started_ = clock::now();
  if (fault_is(action_kind::latency) && fault_->latency_ms > 0) {
    timer_.expires_after(std::chrono::milliseconds(fault_->latency_ms));
    return timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->write_started_ = clock::now();
      self->do_write_slice();
    });
  }
  do_write_slice();
}

void session::do_write_slice() {
  std::size_t n = write_limit_ - written_;
  if (n == 0) return after_write();
  if (response_rate_ != 0)
    n = std::min<std::size_t>(n, std::max<std::uint64_t>(1, response_rate_ / 20));
  stream_.expires_after(state_.options.read_timeout);
  net::async_write(stream_, net::buffer(wire_.data() + written_, n),
                   beast::bind_front_handler(&session::on_write_slice, shared_from_this()));
}

void session::on_write_slice(beast::error_code ec, std::size_t bytes) {
  if (ec) return fail(ec, "write");
  written_ += bytes;
  if (written_ < write_limit_ && response_rate_ != 0) {
    const auto due =
        write_started_ + std::chrono::microseconds(written_ * 1'000'000 / response_rate_);
    if (due > clock::now()) {
      timer_.expires_at(due);
      return timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (wait_ec) return;
        self->do_write_slice();
      });
    }
  }
  do_write_slice();
}

void session::after_write() {
  slot_.reset();
  stream_.expires_never();
  if (linger_) return do_lingering_close();
  if (!close_after_) return do_read_header();
  if (close_delay_.count() > 0) {
    timer_.expires_after(close_delay_);
    return timer_.async_wait([self = shared_from_this()](beast::error_code) { self->do_close(); });
  }
  do_close();
}

void session::do_close() {
  stop_watchdog();
  slot_.reset();
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

void session::do_reset() {
  if (sink_) {
    entry_.filename = sink_->filename();
    entry_.purpose = sink_->purpose();
    if (sink_->has_file()) entry_.bytes = sink_->file_bytes();
  }
  record(0);
  stop_watchdog();
  slot_.reset();
  beast::error_code ignored;
  // SO_LINGER with a zero timeout turns close() into an RST, which is what a reset looks like.
  stream_.socket().set_option(net::socket_base::linger(true, 0), ignored);
  stream_.socket().close(ignored);
}

void session::do_stall() {
  stalled_ = true;
  slot_.reset();
  stream_.expires_never();
  if (state_.draining) return do_close();
  // Reading is the only way to learn that the client gave up; anything it sends is dropped.
  stream_.async_read_some(chunk(), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->do_close();
    self->do_stall();
  });
}

void session::do_lingering_close() {
  // Closing with unread request bytes would send an RST that can destroy the response in flight;
  // half-close and drain for a bounded time instead (like nginx's lingering_close).
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(2));
  do_linger_read();
}

void session::do_linger_read() {
  stream_.async_read_some(chunk(), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->do_close();
    self->do_linger_read();
  });
}

}  // namespace rollproof::mock
