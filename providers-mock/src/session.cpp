#include "session.hpp"

#include <fmt/format.h>

#include <boost/asio/dispatch.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "admin.hpp"
#include "response_wire.hpp"
#include "rollproof/mock/utf8.hpp"

namespace rollproof::mock {

namespace {

std::optional<std::string> field(const http::request_parser<http::buffer_body>& p,
                                 std::string_view name) {
  const auto& fields = p.get();
  const auto it = fields.find(beast::string_view(name.data(), name.size()));
  if (it == fields.end()) return std::nullopt;
  return std::string(it->value());
}

// A header as text the mock may record and echo: ill-formed UTF-8 replaced by U+FFFD.
std::optional<std::string> text_field(const http::request_parser<http::buffer_body>& p,
                                      std::string_view name) {
  auto value = field(p, name);
  if (value) *value = to_utf8(*value);
  return value;
}

}  // namespace

session::session(net::ip::tcp::socket&& socket, mock_state& state)
    : stream_(std::move(socket)),
      state_(state),
      timer_(stream_.get_executor()),
      watchdog_(stream_.get_executor()) {}

net::mutable_buffer session::chunk() {
  if (!chunk_) chunk_ = std::make_unique_for_overwrite<char[]>(chunk_size);
  return {chunk_.get(), chunk_size};
}

session::~session() {
  const std::lock_guard lock(state_.sessions_mutex);
  state_.sessions.erase(this);
}

void session::run() {
  {
    const std::lock_guard lock(state_.sessions_mutex);
    state_.sessions.emplace(this, weak_from_this());
  }
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&session::do_read_header, shared_from_this()));
}

void session::shutdown() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->keep_alive_ = false;
    if (self->idle_ || self->stalled_) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
      self->stream_.socket().close(ignored);
    }
  });
}

void session::fail(beast::error_code ec, const char* what) {
  // Clients that go away mid-request are routine for a fault injector; only the odd ones are noise.
  if (ec == net::error::operation_aborted || ec == http::error::end_of_stream ||
      ec == net::error::eof || ec == net::error::connection_reset || ec == beast::error::timeout ||
      ec == net::error::broken_pipe || ec == http::error::partial_message ||
      ec == net::error::bad_descriptor)
    return;
  std::cerr << "rollproof-mock: " << what << ": " << ec.message() << '\n';
}

void session::do_read_header() {
  if (state_.draining || !keep_alive_) return do_close();
  parser_.emplace();
  parser_->header_limit(state_.options.header_limit);
  parser_->body_limit(boost::none);  // sizes are checked against the provider's limits instead
  entry_ = {};
  recorded_ = false;
  fault_.reset();
  early_reply_.reset();
  versioned_.reset();
  sink_.reset();
  multipart_.reset();
  multipart_error_.reset();
  admin_body_.clear();
  admin_body_too_large_ = false;
  body_bytes_ = 0;
  slot_.reset();
  use_ = body_use::discard;
  close_after_ = false;
  linger_ = false;
  close_delay_ = std::chrono::milliseconds(0);
  idle_ = true;
  // Idle connections give their body memory back (thousands may be held open).
  chunk_.reset();
  if (buffer_.size() == 0) buffer_.shrink_to_fit();
  stream_.expires_after(state_.options.read_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&session::on_read_header, shared_from_this()));
}

void session::on_read_header(beast::error_code ec, std::size_t) {
  idle_ = false;
  if (ec == http::error::header_limit) {
    keep_alive_ = false;
    return respond({431, R"({"error":"request header fields too large"})", "application/json", {}},
                   false);
  }
  if (ec && &ec.category() == &http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    // A head Beast cannot parse is the client's mistake: say so, as any server would.
    return refuse_now({400,
                       boost::json::serialize(
                           boost::json::object{{"error", "malformed request: " + ec.message()}}),
                       "application/json",
                       {}});
  }
  if (ec) return fail(ec, "read header");
  started_ = clock::now();
  const auto& req = parser_->get();
  keep_alive_ = req.keep_alive();
  const std::string target(req.target());
  const auto q = target.find('?');
  path_ = to_utf8(target.substr(0, q));  // echoed in errors and recorded: valid UTF-8
  query_ = q == std::string::npos ? "" : target.substr(q + 1);
  if (path_.starts_with("/_mock/")) return start_admin();
  start_provider();
}

void session::start_admin() {
  use_ = body_use::admin;
  if (const auto& token = state_.options.admin_token) {
    const auto bearer = field(*parser_, "Authorization");
    const auto header = field(*parser_, "X-Mock-Admin-Token");
    const bool ok = admin_token_matches(bearer, header, *token);
    if (!ok) {
      const auto method = parser_->get().method_string();
      state_.log.record_admin_refusal(std::string_view(method.data(), method.size()), path_);
      early_reply_ = reply{401, R"({"error":"admin token required"})", "application/json", {}};
      const auto length = parser_->content_length();
      if (!length || *length > 64 * 1024) return refuse_now(*early_reply_);
      use_ = body_use::discard;
    }
  }
  do_read_body();
}

void session::start_provider() {
  auto& api = state_.api;
  const auto& req = parser_->get();
  entry_.method = std::string(req.method_string());
  entry_.path = path_;
  entry_.request_id = text_field(*parser_, "X-Client-Request-Id");
  entry_.user_agent = text_field(*parser_, "User-Agent");
  if (entry_.user_agent) entry_.route = route_of(*entry_.user_agent);
  entry_.api_version = text_field(*parser_, kimi_versioned::header_name);
  // The id is drawn now, not at respond(), because versioned error bodies repeat it.
  if (entry_.api_version && kimi_versioned::applies(api, path_))
    versioned_.emplace(api, api.next_request_id());

  const auto length = parser_->content_length();
  const std::optional<std::uint64_t> declared =
      length ? std::optional<std::uint64_t>(*length) : std::nullopt;
  const request_facts facts{entry_.method, path_, parser_->chunked() ? std::nullopt : declared,
                            [this](std::string_view name) { return field(*parser_, name); }};
  fault_ = state_.faults.decide(facts);
  if (fault_) entry_.fault = fault_->name;

  const bool upload = api.is_upload(entry_.method, path_);
  const bool replaced = fault_replaces_response();
  if (!replaced) {
    const auto v = versioned_ ? &*versioned_ : nullptr;
    const auto authorization = field(*parser_, "Authorization");
    std::optional<reply> refusal = v ? v->check_version(*entry_.api_version) : std::nullopt;
    std::string key;  // the key the request stands for: rate limits count per key, not per token
    if (!refusal) {
      auto credential = v ? v->authenticate(authorization) : api.authenticate(authorization);
      if (credential) {
        entry_.auth = std::string(to_string(credential->form));
        key = std::move(credential->key);
      } else {
        refusal = std::move(credential.error());
      }
    }
    if (!refusal && state_.rates.enabled()) {
      if (const auto refused = state_.rates.acquire(key, clock::now()))
        refusal = v ? v->rate_limited(*refused, key) : api.rate_limited(*refused, key);
      else
        slot_.emplace(state_.rates, key);
    }
    if (!refusal && upload && declared)
      refusal = v ? v->check_declared_length(*declared) : api.check_declared_length(*declared);
    if (refusal) {
      early_reply_ = std::move(refusal);
      // A small body is cheaper to drain than the connection is to lose; a big one is refused
      // before a byte of it is read, as the real services do.
      const bool small =
          !parser_->chunked() && declared.value_or(0) <= 64 * 1024 && !field(*parser_, "Expect");
      if (!small) return refuse_now(*early_reply_);
      return do_read_body();
    }
  }
  if (upload) {
    use_ = body_use::upload;
    sink_options options;
    options.mode = replaced ? store_mode::none : state_.options.store;
    options.directory = state_.options.store_directory;
    options.text_cap = state_.options.text_cap;
    options.max_file_bytes = api.max_file_size();
    if (fault_is(action_kind::corrupt)) options.corrupt_offset = fault_->action.offset;
    sink_ = std::make_unique<upload_sink>(std::move(options));
    if (const auto boundary = multipart_boundary(field(*parser_, "Content-Type").value_or("")))
      multipart_ = std::make_unique<multipart_parser>(*boundary);
    else
      multipart_error_ = "Content-Type must be multipart/form-data with a boundary";
  }
  if (fault_is(action_kind::reset) && fault_->action.after_bytes == 0) return do_reset();
  const auto expect = field(*parser_, "Expect");
  if (expect && beast::iequals(*expect, "100-continue") && !parser_->is_done()) {
    // curl waits a second for this before sending a large body; answering keeps ingest fast.
    wire_ = "HTTP/1.1 100 Continue\r\n\r\n";
    return net::async_write(stream_, net::buffer(wire_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->fail(ec, "write 100-continue");
                              self->do_read_body();
                            });
  }
  do_read_body();
}

void session::refuse_now(reply r) {
  keep_alive_ = false;
  linger_ = true;
  respond(std::move(r), false);
}

void session::do_read_body() {
  if (parser_->is_done()) return on_body_complete();
  if (body_bytes_ == 0) body_started_ = clock::now();
  // Beast sizes each socket read by the buffer's free capacity; a header-sized buffer would read
  // a large body a kilobyte at a time.
  if (buffer_.capacity() < chunk_size) buffer_.reserve(chunk_size);
  const auto into = chunk();
  std::size_t want = chunk_size;
  if (fault_is(action_kind::reset)) {
    const std::uint64_t left = fault_->action.after_bytes - body_bytes_;
    if (left == 0) return do_reset();
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, left));
  }
  const std::uint64_t rate =
      fault_is(action_kind::bandwidth) ? fault_->action.request_bytes_per_s : 0;
  if (rate != 0) want = static_cast<std::size_t>(std::clamp<std::uint64_t>(rate / 20, 1, want));
  auto& body = parser_->get().body();
  body.data = into.data();
  body.size = want;
  // Beast's per-operation timeout costs two timer syscalls per socket read, which made body
  // ingest several times slower; a coarse watchdog enforces the same read timeout instead. It is
  // an idle timeout: every read that brings bytes counts as progress (on_read_body).
  stream_.expires_never();
  if (!watching_body_) {
    last_progress_ = clock::now();
    watching_body_ = true;
    arm_watchdog();
  }
  http::async_read_some(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&session::on_read_body, shared_from_this(), want));
}

void session::on_read_body(std::size_t wanted, beast::error_code ec, std::size_t bytes) {
  if (ec == http::error::need_buffer) ec = {};
  if (bytes > 0) last_progress_ = clock::now();
  const std::size_t got = wanted - parser_->get().body().size;
  if (got > 0) consume(std::string_view(chunk_.get(), got));
  if (ec) {
    stop_watchdog();
    record_unfinished_upload();
    return fail(ec, "read body");
  }
  if (fault_is(action_kind::reset) && body_bytes_ >= fault_->action.after_bytes) return do_reset();
  const std::uint64_t rate =
      fault_is(action_kind::bandwidth) ? fault_->action.request_bytes_per_s : 0;
  if (rate != 0 && !parser_->is_done()) {
    const auto due = body_started_ + std::chrono::microseconds(body_bytes_ * 1'000'000 / rate);
    if (due > clock::now()) {
      timer_.expires_at(due);
      return timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (wait_ec) return;
        self->do_read_body();
      });
    }
  }
  do_read_body();
}

// The client went away (or went quiet) mid-body: the ledger still says what arrived.
void session::record_unfinished_upload() {
  if (use_ != body_use::upload || recorded_) return;
  entry_.filename = sink_->filename();
  entry_.purpose = sink_->purpose();
  if (sink_->has_file()) entry_.bytes = sink_->file_bytes();
  record(0);
}

void session::consume(std::string_view bytes) {
  body_bytes_ += bytes.size();
  switch (use_) {
    case body_use::discard:
      return;
    case body_use::admin:
      if (admin_body_.size() + bytes.size() > (1 << 20))
        admin_body_too_large_ = true;
      else
        admin_body_.append(bytes);
      return;
    case body_use::upload:
      if (!multipart_ || multipart_error_) return;
      if (auto r = multipart_->feed(bytes, *sink_); !r) multipart_error_ = r.error();
      return;
  }
}

void session::arm_watchdog() {
  const auto interval = std::clamp<std::chrono::milliseconds>(state_.options.read_timeout / 2,
                                                              std::chrono::milliseconds(10),
                                                              std::chrono::milliseconds(1000));
  watchdog_.expires_after(interval);
  watchdog_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || !self->watching_body_) return;
    if (clock::now() - self->last_progress_ > self->state_.options.read_timeout) {
      self->watching_body_ = false;
      self->record_unfinished_upload();  // before the client can see the connection close
      beast::error_code ignored;
      self->stream_.socket().close(ignored);  // the pending read fails
      return;
    }
    self->arm_watchdog();
  });
}

void session::stop_watchdog() {
  watching_body_ = false;
  watchdog_.cancel();
}

void session::on_body_complete() {
  stop_watchdog();
  stream_.expires_never();
  entry_.body_bytes = body_bytes_;
  if (early_reply_) return respond(std::move(*early_reply_), false);
  if (use_ == body_use::admin) return finish_admin();
  if (use_ == body_use::upload && multipart_ && !multipart_error_) {
    if (auto r = multipart_->finish(); !r) multipart_error_ = r.error();
  }
  finish_provider();
}

void session::finish_provider() {
  auto& api = state_.api;
  if (fault_replaces_response()) {
    if (sink_) {
      entry_.filename = sink_->filename();
      entry_.purpose = sink_->purpose();
      if (sink_->has_file()) {
        entry_.bytes = sink_->file_bytes();
        entry_.sha256 = sink_->finish_hash();
      }
    }
    const auto& a = fault_->action;
    switch (a.kind) {
      case action_kind::close:
        record(0);
        return do_close();
      case action_kind::stall:
        record(0);
        return do_stall();
      case action_kind::reset:
        return do_reset();
      case action_kind::empty:
        return respond({200, "", "application/json", {}}, true);
      case action_kind::malformed:
        return respond(
            {200, R"({"id":"file-malformed","object":"file","bytes":)", "application/json", {}},
            true);
      default: {
        return respond(
            status_fault_reply(a, versioned_ ? versioned_->fault_status(a.status, fault_->name)
                                             : api.fault_status(a.status, fault_->name)),
            true);
      }
    }
  }
  if (use_ == body_use::upload)
    return respond(versioned_ ? versioned_->finish_upload(*sink_, multipart_error_, entry_)
                              : api.finish_upload(*sink_, multipart_error_, entry_),
                   false);
  respond(versioned_ ? versioned_->handle(entry_.method, path_, query_, entry_)
                     : api.handle(entry_.method, path_, query_, entry_),
          false);
}

bool session::fault_is(action_kind kind) const {
  return fault_ && fault_->action.kind == kind;
}

bool session::fault_replaces_response() const {
  if (!fault_) return false;
  switch (fault_->action.kind) {
    case action_kind::status:
    case action_kind::reset:
    case action_kind::close:
    case action_kind::stall:
    case action_kind::empty:
    case action_kind::malformed:
      return true;
    default:
      return false;
  }
}

}  // namespace rollproof::mock
