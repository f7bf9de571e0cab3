#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "curl_common.hpp"
#include "rollproof/upload/curl_transports.hpp"

namespace rollproof::upload {
namespace detail {

struct async_transfer {
  attempt_request request;
  std::function<void(http_outcome)> done;
  CURL* easy = nullptr;
  curl_mime* mime = nullptr;
  slist_ptr headers;
  std::FILE* file = nullptr;
  bool read_failed = false;
  response_capture capture;

  async_transfer() = default;
  async_transfer(const async_transfer&) = delete;
  async_transfer& operator=(const async_transfer&) = delete;
  ~async_transfer() {
    if (easy) curl_easy_cleanup(easy);
    if (mime) curl_mime_free(mime);
    if (file) std::fclose(file);
  }
};

}  // namespace detail

namespace {

CURLM* as_multi(void* m) {
  return static_cast<CURLM*>(m);
}

// curl pulls the file part in pieces of its upload buffer, so memory stays flat in the file size.
std::size_t read_file_part(char* buffer, std::size_t size, std::size_t n, void* arg) {
  auto* t = static_cast<detail::async_transfer*>(arg);
  const std::size_t got = std::fread(buffer, 1, size * n, t->file);
  if (got == 0 && std::ferror(t->file)) {
    t->read_failed = true;
    return CURL_READFUNC_ABORT;
  }
  return got;
}

// curl rewinds the part when it must resend the body (e.g. after an auth negotiation).
int seek_file_part(void* arg, curl_off_t offset, int origin) {
  auto* t = static_cast<detail::async_transfer*>(arg);
  return fseeko(t->file, static_cast<off_t>(offset), origin) == 0 ? CURL_SEEKFUNC_OK
                                                                  : CURL_SEEKFUNC_FAIL;
}

http_outcome io_failure(const attempt_request& request, const char* why) {
  http_outcome failed;
  failed.transport_error =
      upload_error{error_code::io, fmt::format("cannot open {}: {}", request.file.string(), why)};
  return failed;
}

}  // namespace

async_transport::async_transport(int max_in_flight) : max_in_flight_{std::max(1, max_in_flight)} {
  detail::ensure_curl_initialised();
  multi_ = curl_multi_init();
  loop_ = std::thread{[this] { run(); }};
}

async_transport::~async_transport() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  curl_multi_wakeup(as_multi(multi_));
  loop_.join();
  curl_multi_cleanup(as_multi(multi_));
}

void async_transport::send(attempt_request request, std::function<void(http_outcome)> done) {
  auto t = std::make_unique<transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  {
    std::lock_guard lock{mutex_};
    queued_.push_back(std::move(t));
  }
  curl_multi_wakeup(as_multi(multi_));
}

void async_transport::admit_queued() {
  std::vector<std::unique_ptr<transfer>> unopenable;
  {
    std::lock_guard lock{mutex_};
    while (!queued_.empty() && static_cast<int>(running_.size()) < max_in_flight_) {
      auto t = std::move(queued_.front());
      queued_.pop_front();
      t->file = std::fopen(t->request.file.c_str(), "rb");
      if (!t->file) {
        unopenable.push_back(std::move(t));
        continue;
      }
      std::error_code ec;
      const auto size = std::filesystem::file_size(t->request.file, ec);
      t->easy = curl_easy_init();
      t->headers = detail::prepare_easy(t->easy, t->request, t->capture);
      t->mime = curl_mime_init(t->easy);
      detail::add_purpose_part(t->mime, t->request);
      curl_mimepart* part = curl_mime_addpart(t->mime);
      curl_mime_name(part, "file");
      curl_mime_filename(part, t->request.filename.c_str());
      curl_mime_type(part, "application/octet-stream");
      curl_mime_data_cb(part, ec ? -1 : static_cast<curl_off_t>(size), &read_file_part,
                        &seek_file_part, nullptr, t.get());
      curl_easy_setopt(t->easy, CURLOPT_MIMEPOST, t->mime);
      curl_easy_setopt(t->easy, CURLOPT_LOW_SPEED_LIMIT,
                       static_cast<long>(t->request.low_speed_limit_bytes));
      curl_easy_setopt(t->easy, CURLOPT_LOW_SPEED_TIME,
                       static_cast<long>(t->request.low_speed_time.count()));
      curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t.get());
      curl_multi_add_handle(as_multi(multi_), t->easy);
      running_.push_back(std::move(t));
    }
  }
  for (auto& t : unopenable)
    t->done(io_failure(t->request, std::strerror(errno)));
}

void async_transport::complete(void* easy, int curl_result) {
  std::unique_ptr<transfer> finished;
  {
    std::lock_guard lock{mutex_};
    const auto it = std::ranges::find_if(running_, [&](const auto& t) { return t->easy == easy; });
    if (it == running_.end()) return;
    finished = std::move(*it);
    running_.erase(it);
  }
  curl_multi_remove_handle(as_multi(multi_), finished->easy);
  auto outcome = detail::make_outcome(finished->easy, static_cast<CURLcode>(curl_result),
                                      finished->capture, finished->read_failed);
  auto done = std::move(finished->done);
  // Free the handle and close the file before the callback, which may start the next attempt.
  finished.reset();
  done(std::move(outcome));
}

void async_transport::run() {
  for (;;) {
    {
      std::lock_guard lock{mutex_};
      if (stopping_ && queued_.empty() && running_.empty()) return;
    }
    admit_queued();
    int still_running = 0;
    curl_multi_perform(as_multi(multi_), &still_running);
    int left = 0;
    bool finished_any = false;
    while (CURLMsg* msg = curl_multi_info_read(as_multi(multi_), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      complete(msg->easy_handle, static_cast<int>(msg->data.result));
      finished_any = true;
    }
    // A finished transfer frees a slot: admit the next one now rather than after the poll.
    if (finished_any) continue;
    curl_multi_poll(as_multi(multi_), nullptr, 0, 1000, nullptr);
  }
}

}  // namespace rollproof::upload
