#include "curl_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string_view>

namespace rollproof::upload::detail {
namespace {

// Error bodies are small; a cap keeps a misbehaving server from growing our memory.
constexpr std::size_t max_body_bytes = 1 << 20;

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* arg) {
  auto* capture = static_cast<response_capture*>(arg);
  const std::size_t bytes = size * n;
  const std::size_t room = max_body_bytes - std::min(max_body_bytes, capture->body.size());
  capture->body.append(data, std::min(bytes, room));
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* arg) {
  auto* capture = static_cast<response_capture*>(arg);
  const std::string_view line{data, size * n};
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size() &&
      std::equal(name.begin(), name.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    auto value = line.substr(name.size());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
      value.remove_suffix(1);
    capture->retry_after = std::string{value};
  }
  // A new status line starts a new response (after a redirect or 100): forget older headers.
  if (line.starts_with("HTTP/")) capture->retry_after.reset();
  return size * n;
}

// Called with everything libcurl sends while CURLOPT_VERBOSE is on; a header block that starts
// with a request line ("POST /v1/files HTTP/1.1") is one request on the wire.
int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* arg) {
  if (type != CURLINFO_HEADER_OUT) return 0;
  const std::string_view block{data, size};
  const auto line = block.substr(0, block.find("\r\n"));
  const auto space = line.find(' ');
  const bool request_line = space != std::string_view::npos && space > 0 &&
                            std::all_of(line.begin(), line.begin() + static_cast<long>(space),
                                        [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                            line.find(" HTTP/") != std::string_view::npos;
  if (request_line)
    static_cast<response_capture*>(arg)->request_lines_sent.push_back(
        std::chrono::steady_clock::now());
  return 0;
}

error_code map_curl_error(CURLcode result) {
  switch (result) {
    case CURLE_OPERATION_TIMEDOUT:
      return error_code::timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return error_code::connection;
    case CURLE_READ_ERROR:
      return error_code::io;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return error_code::protocol;
    case CURLE_URL_MALFORMAT:
      return error_code::bad_request;
    default:
      return error_code::internal;
  }
}

}  // namespace

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

slist_ptr prepare_easy(CURL* easy, const attempt_request& request, response_capture& capture) {
  slist_ptr headers;
  auto append = [&](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  append("Authorization: Bearer " + request.api_key);
  // The id comes from the protocol peer: control characters would split the header line.
  std::string id = request.request_id;
  std::erase_if(id, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
  append("X-Client-Request-Id: " + id);
  append("Accept: application/json");
  // Without this curl waits up to a second for "100 Continue" before every large body.
  append("Expect:");
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent(request.via).c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &capture);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &capture);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, capture.error_buffer);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  // Attempts are counted from what goes out, not from what we asked for: the debug callback is
  // the only place libcurl reports a request it resent on a fresh connection by itself.
  curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, &on_debug);
  curl_easy_setopt(easy, CURLOPT_DEBUGDATA, &capture);
  curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  return headers;
}

void add_purpose_part(curl_mime* mime, const attempt_request& request) {
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_name(part, "purpose");
  curl_mime_data(part, request.purpose.c_str(), CURL_ZERO_TERMINATED);
}

http_outcome make_outcome(CURL* easy, CURLcode result, response_capture& capture,
                          bool read_failed) {
  http_outcome outcome;
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  outcome.status = status;
  outcome.body = std::move(capture.body);
  outcome.retry_after = std::move(capture.retry_after);
  const auto& sent = capture.request_lines_sent;
  for (std::size_t i = 1; i < sent.size(); ++i)
    outcome.resent_requests.push_back(
        std::chrono::duration_cast<std::chrono::microseconds>(sent[i] - sent[i - 1]));
  if (result != CURLE_OK) {
    const error_code code = read_failed || result == CURLE_ABORTED_BY_CALLBACK
                                ? error_code::io
                                : map_curl_error(result);
    const std::string detail = capture.error_buffer[0] ? capture.error_buffer : "";
    outcome.transport_error = upload_error{
        code, fmt::format("curl error {} ({}){}{}", static_cast<int>(result),
                          curl_easy_strerror(result), detail.empty() ? "" : ": ", detail)};
  }
  return outcome;
}

}  // namespace rollproof::upload::detail
