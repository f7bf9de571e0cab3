#pragma once
// Pieces both curl routes share: global init, request headers, response capture, error mapping.

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/upload/transport.hpp"

namespace rollproof::upload::detail {

// Calls curl_global_init once per process.
void ensure_curl_initialised();

// Frees an slist.
struct slist_deleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using slist_ptr = std::unique_ptr<curl_slist, slist_deleter>;

// What a transfer received (the capped body, the Retry-After header) and when each of its
// requests went out: libcurl resends a request on its own when a reused connection dies first.
struct response_capture {
  std::string body;
  std::optional<std::string> retry_after;
  std::vector<std::chrono::steady_clock::time_point> request_lines_sent;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

// Sets URL, headers (Authorization, X-Client-Request-Id, User-Agent, no Expect), the response
// callbacks, a debug callback that notes every request line sent, and the connect timeout on
// `easy`; returns the header list, which must outlive it.
slist_ptr prepare_easy(CURL* easy, const attempt_request& request, response_capture& capture);

// Adds the `purpose` part to a mime; the file part is added by each route its own way.
void add_purpose_part(curl_mime* mime, const attempt_request& request);

// Builds the outcome of a finished transfer; `read_failed` marks a local file read error.
http_outcome make_outcome(CURL* easy, CURLcode result, response_capture& capture, bool read_failed);

}  // namespace rollproof::upload::detail
