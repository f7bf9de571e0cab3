#pragma once
// Private: one HTTP/1.1 connection, read header-first so limits and faults apply before the body.

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "mock_state.hpp"
#include "rollproof/mock/kimi_versioned.hpp"
#include "rollproof/mock/multipart_parser.hpp"
#include "rollproof/mock/upload_sink.hpp"

namespace rollproof::mock {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

// Gives back a rate-limit slot when the request ends, however it ends.
class rate_slot {
 public:
  rate_slot(rate_limiter& limiter, std::string key) : limiter_(limiter), key_(std::move(key)) {}
  ~rate_slot() { limiter_.release(key_); }
  rate_slot(const rate_slot&) = delete;
  rate_slot& operator=(const rate_slot&) = delete;

 private:
  rate_limiter& limiter_;
  std::string key_;
};

// Serves requests on one connection until it closes.
class session : public std::enable_shared_from_this<session> {
 public:
  session(net::ip::tcp::socket&& socket, mock_state& state);
  ~session();
  // Starts reading the first request.
  void run();
  // Closes idle and stalled connections now, busy ones after their response.
  void shutdown();

 private:
  enum class body_use { discard, upload, admin };
  using clock = std::chrono::steady_clock;

  void do_read_header();
  void on_read_header(beast::error_code ec, std::size_t bytes);
  void start_admin();
  void start_provider();
  void refuse_now(reply r);
  void do_read_body();
  void arm_watchdog();
  void stop_watchdog();
  void on_read_body(std::size_t wanted, beast::error_code ec, std::size_t bytes);
  void record_unfinished_upload();
  [[nodiscard]] net::mutable_buffer chunk();
  void consume(std::string_view bytes);
  void on_body_complete();
  void finish_provider();
  void finish_admin();

  void respond(reply r, bool replaced_by_fault);
  void do_write_slice();
  void on_write_slice(beast::error_code ec, std::size_t bytes);
  void after_write();
  void do_reset();
  void do_close();
  void do_stall();
  void do_lingering_close();
  void do_linger_read();
  void record(unsigned status);
  void fail(beast::error_code ec, const char* what);
  [[nodiscard]] bool fault_is(action_kind kind) const;
  [[nodiscard]] bool fault_replaces_response() const;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  mock_state& state_;
  net::steady_timer timer_;
  net::steady_timer watchdog_;
  std::optional<http::request_parser<http::buffer_body>> parser_;
  // Body bytes land here; allocated for a body and freed when the connection goes idle, so an
  // idle connection holds no more than its header buffer.
  static constexpr std::size_t chunk_size = 64 * 1024;
  std::unique_ptr<char[]> chunk_;

  // The current request.
  clock::time_point started_;
  clock::time_point body_started_;
  body_use use_ = body_use::discard;
  std::string path_;
  std::string query_;
  ledger_entry entry_;
  bool recorded_ = false;
  std::optional<fault_decision> fault_;
  std::optional<reply> early_reply_;
  std::optional<kimi_versioned::responder> versioned_;  // set when kimi-api-version selects it
  std::unique_ptr<upload_sink> sink_;
  std::unique_ptr<multipart_parser> multipart_;
  std::optional<std::string> multipart_error_;
  std::string admin_body_;
  bool admin_body_too_large_ = false;
  std::uint64_t body_bytes_ = 0;
  std::optional<rate_slot> slot_;
  bool keep_alive_ = true;
  bool idle_ = false;
  bool stalled_ = false;
  bool watching_body_ = false;
  clock::time_point last_progress_;

  // The response being written.
  std::string wire_;
  std::size_t written_ = 0;
  std::size_t write_limit_ = 0;
  std::uint64_t response_rate_ = 0;
  clock::time_point write_started_;
  bool close_after_ = false;
  bool linger_ = false;
  std::chrono::milliseconds close_delay_{0};
};

}  // namespace rollproof::mock
