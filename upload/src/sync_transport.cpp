#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <fstream>

#include "curl_common.hpp"
#include "rollproof/upload/curl_transports.hpp"

namespace rollproof::upload {
namespace {

// The legacy path on purpose holds the whole file in memory, then hands curl a copy of it:
// that is the behaviour the async route replaces, and what the bench compares against.
http_outcome send_blocking(const attempt_request& request) {
  std::error_code size_error;
  const auto size = std::filesystem::file_size(request.file, size_error);
  std::string content(size_error ? 0 : size, '\0');
  std::ifstream in{request.file, std::ios::binary};
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (size_error || !in) {
    http_outcome failed;
    failed.transport_error =
        upload_error{error_code::io, fmt::format("cannot read {}", request.file.string())};
    return failed;
  }
  CURL* easy = curl_easy_init();
  if (!easy) {
    http_outcome failed;
    failed.transport_error = upload_error{error_code::internal, "curl_easy_init failed"};
    return failed;
  }
  detail::response_capture capture;
  auto headers = detail::prepare_easy(easy, request, capture);
  curl_mime* mime = curl_mime_init(easy);
  detail::add_purpose_part(mime, request);
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_name(part, "file");
  curl_mime_filename(part, request.filename.c_str());
  curl_mime_type(part, "application/octet-stream");
  curl_mime_data(part, content.data(), content.size());
  curl_easy_setopt(easy, CURLOPT_MIMEPOST, mime);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.request_timeout.count()));
  const CURLcode result = curl_easy_perform(easy);
  auto outcome = detail::make_outcome(easy, result, capture, false);
  curl_easy_cleanup(easy);
  curl_mime_free(mime);
  return outcome;
}

}  // namespace

sync_transport::sync_transport(int workers)
    : pool_{static_cast<std::size_t>(std::max(1, workers))} {
  detail::ensure_curl_initialised();
}

sync_transport::~sync_transport() {
  pool_.join();
}

void sync_transport::send(attempt_request request, std::function<void(http_outcome)> done) {
  boost::asio::post(pool_, [request = std::move(request), done = std::move(done)] {
    done(send_blocking(request));
  });
}

}  // namespace rollproof::upload
