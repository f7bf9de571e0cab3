#pragma once
// One upload from start to answer: route by flag, retries with backoff, fallback to sync.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "rollproof/upload/error.hpp"
#include "rollproof/upload/event_log.hpp"
#include "rollproof/upload/flags.hpp"
#include "rollproof/upload/metrics.hpp"
#include "rollproof/upload/provider.hpp"
#include "rollproof/upload/settings.hpp"
#include "rollproof/upload/transport.hpp"

namespace rollproof::upload {

// Everything an upload depends on; an upload keeps the copy it started with.
struct client_config {
  std::map<provider_kind, provider_config> providers;
  flag_config async_upload;
  upload_settings settings;
};

// What the caller asks for: the protocol's upload request.
struct upload_request {
  std::string id;
  provider_kind provider = provider_kind::kimi;
  std::filesystem::path file;
  std::string purpose = "file-extract";
  std::string user;
};

// The protocol's upload answer.
struct upload_result {
  std::string file_id;      // empty on failure
  route via = route::sync;  // the route the flag chose
  bool fallback = false;
  int attempts = 0;  // HTTP requests sent, both routes, with those libcurl resent alone
  long status = 0;
  std::uint64_t bytes = 0;
  std::int64_t elapsed_us = 0;
  std::optional<upload_error> error;  // nullopt = ok
};

// Where an uploader's side effects go; metrics and log may be null.
struct uploader_parts {
  transport* sync = nullptr;
  transport* async = nullptr;
  delay_scheduler* scheduler = nullptr;
  metrics_registry* metrics = nullptr;
  event_log* log = nullptr;
};

// Runs uploads through the transports; safe to call from many threads at once.
class uploader {
 public:
  // The parts must outlive every upload started here.
  explicit uploader(uploader_parts parts, std::uint64_t jitter_seed = std::random_device{}());
  // Starts an upload under `config`; `done` is called exactly once, from any thread.
  void upload(const client_config& config, upload_request request,
              std::function<void(upload_result)> done);

 private:
  struct job;
  void start_attempt(std::shared_ptr<job> j);
  void on_attempt(std::shared_ptr<job> j, http_outcome outcome);
  void on_resent_request(job& j, std::chrono::microseconds lasted);
  void finish(std::shared_ptr<job> j);
  double unit_random();

  uploader_parts parts_;
  std::mutex rng_mutex_;
  std::mt19937_64 rng_;
};

}  // namespace rollproof::upload
