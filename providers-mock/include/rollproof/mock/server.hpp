#pragma once
// rollproof-mock's HTTP server: Beast, async, a small io thread pool, graceful drain on stop.

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "rollproof/mock/fault_rules.hpp"
#include "rollproof/mock/file_store.hpp"
#include "rollproof/mock/provider_api.hpp"
#include "rollproof/mock/rate_limiter.hpp"

namespace rollproof::mock {

// Everything the server is told on its command line.
struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the OS picks one
  provider_config provider;
  store_mode store = store_mode::none;
  std::filesystem::path store_directory;
  std::optional<std::string> admin_token;
  rate_limits rate;
  fault_plan faults;
  std::size_t threads = 2;  // bench/mock: 2 wins with parallel uploads, 1 with a single one
  std::size_t text_cap = 1 << 20;
  std::uint32_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{30'000};  // whole header; each body read
  std::chrono::milliseconds drain_timeout{5'000};  // in-flight requests at shutdown
};

struct mock_state;

// Owns the io_context, acceptor and shared state.
class server {
 public:
  // A server that has not bound yet.
  explicit server(server_options options);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and listens; the bound port, or why binding failed.
  [[nodiscard]] std::expected<std::uint16_t, std::string> listen();
  // Serves until stop() or SIGTERM/SIGINT, then drains (bounded) and returns.
  void run();
  // Stops accepting and starts the drain; safe from any thread.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace rollproof::mock
