#pragma once
// Test helpers: a rollproof-mock child process (port 0, READY line) and a libcurl client.

#include <boost/json.hpp>
#include <boost/process.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rollproof::mock::testing {

// The rollproof-mock executable to start.
std::string mock_binary();

// A running rollproof-mock; SIGTERM and reaped on destruction.
class mock_process {
 public:
  // Starts build/bin/rollproof-mock with `args` and waits for its READY line; its stderr goes to
  // `stderr_file` when given.
  explicit mock_process(std::vector<std::string> args,
                        const std::optional<std::filesystem::path>& stderr_file = std::nullopt);
  ~mock_process();
  mock_process(const mock_process&) = delete;
  mock_process& operator=(const mock_process&) = delete;
  // "http://127.0.0.1:PORT".
  [[nodiscard]] const std::string& url() const { return url_; }
  // The process id.
  [[nodiscard]] int pid() const { return child_.id(); }
  // Sends SIGTERM and returns the exit code.
  int terminate_and_wait();

 private:
  boost::process::ipstream out_;
  boost::process::child child_;
  std::string url_;
};

// What a request got back.
struct http_result {
  int curl_code = 0;  // CURLcode
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  double seconds = 0;
  [[nodiscard]] boost::json::value json() const;
};

// One multipart upload as the clients under test send it.
struct upload_request {
  std::string api_key = "sk-test";
  std::string purpose = "file-extract";
  std::string filename = "a.txt";
  std::string content = "hello\n";
  bool chunked = false;
  bool purpose_first = true;
  bool send_purpose = true;
  std::vector<std::string> headers;
  long timeout_ms = 20'000;
  std::vector<std::pair<std::string, std::string>> fields;  // more form fields, after the file
};

// Sends `method url` with headers and an optional body.
http_result request(const std::string& method, const std::string& url,
                    std::vector<std::string> headers = {},
                    std::optional<std::string> body = std::nullopt, long timeout_ms = 20'000);
// Sends GET with "Authorization: Bearer key".
http_result get(const std::string& url, const std::string& key = "sk-test");
// Uploads to `url` (the files endpoint) with curl's MIME API.
http_result upload(const std::string& url, const upload_request& u);
// GET /_mock/ledger?since=... as JSON.
boost::json::array ledger_of(const mock_process& mock, std::uint64_t since = 0);
// One TCP connection to a mock, for bytes curl will not send or pacing curl will not keep.
class raw_connection {
 public:
  // Connects to `mock`; throws when it cannot.
  explicit raw_connection(const mock_process& mock);
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;
  // Sends all of `bytes`; false when the connection is gone.
  bool send(std::string_view bytes);
  // The bytes of one read, waiting up to `timeout_ms` for them; empty on close or timeout.
  std::string receive_some(long timeout_ms);
  // Everything until the peer closes or `timeout_ms` pass without a byte.
  std::string receive_all(long timeout_ms);

 private:
  int fd_ = -1;
};

// Sends `bytes` as they are on a new connection to `mock` and returns all it answers until it
// closes the connection or `timeout_ms` passes without a byte; for requests curl will not send.
std::string raw_exchange(const mock_process& mock, std::string_view bytes, long timeout_ms = 5'000);
// `n` bytes of deterministic binary content.
std::string binary_content(std::size_t n, unsigned seed = 1);

}  // namespace rollproof::mock::testing
