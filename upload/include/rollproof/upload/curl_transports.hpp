#pragma once
// The two real routes over libcurl: a pool of blocking workers (sync) and one multi loop (async).

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "rollproof/upload/transport.hpp"

namespace rollproof::upload {

namespace detail {
struct async_transfer;
}

// Legacy route: reads the whole file into memory and sends it with one blocking curl_easy request
// per attempt, on a fixed pool of `workers` threads.
class sync_transport final : public transport {
 public:
  // Starts `workers` (>= 1) threads.
  explicit sync_transport(int workers);
  // Finishes queued attempts, then joins the workers.
  ~sync_transport() override;
  // Queues the attempt on the pool.
  void send(attempt_request request, std::function<void(http_outcome)> done) override;

 private:
  boost::asio::thread_pool pool_;
};

// Streaming route: reads the file through a curl_mime_data_cb read callback on one curl multi
// event loop thread, at most `max_in_flight` transfers at once; connect and low-speed limits
// instead of a total timeout.
class async_transport final : public transport {
 public:
  // Starts the event loop thread.
  explicit async_transport(int max_in_flight);
  // Finishes queued and running transfers, then joins the loop thread.
  ~async_transport() override;
  // Queues the attempt; it starts when a slot is free.
  void send(attempt_request request, std::function<void(http_outcome)> done) override;

 private:
  using transfer = detail::async_transfer;
  void run();
  void admit_queued();
  void complete(void* easy, int curl_result);

  int max_in_flight_;
  void* multi_ = nullptr;  // CURLM*, kept opaque so curl.h stays private
  std::mutex mutex_;
  std::deque<std::unique_ptr<transfer>> queued_;
  std::vector<std::unique_ptr<transfer>> running_;
  bool stopping_ = false;
  std::thread loop_;
};

// Backoff waits on one Asio timer thread.
class asio_scheduler final : public delay_scheduler {
 public:
  asio_scheduler();
  // Runs pending waits to completion, then joins the thread.
  ~asio_scheduler() override;
  // Calls `action` on the timer thread after `delay`.
  void after(std::chrono::milliseconds delay, std::function<void()> action) override;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace rollproof::upload
