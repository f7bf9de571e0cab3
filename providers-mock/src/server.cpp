#include "rollproof/mock/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "mock_state.hpp"
#include "session.hpp"

namespace rollproof::mock {

struct server::impl {
  explicit impl(server_options options)
      : state(std::move(options)),
        acceptor(net::make_strand(ioc)),
        signals(ioc, SIGTERM, SIGINT),
        drain_timer(ioc),
        accept_backoff(acceptor.get_executor()) {}

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc),
                          [this](beast::error_code ec, net::ip::tcp::socket socket) {
                            on_accept(ec, std::move(socket));
                          });
  }

  void on_accept(beast::error_code ec, net::ip::tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      // The pending connection stays queued, so accepting again at once fails again at once
      // (out of descriptors: EMFILE, ENFILE): wait, and say so once per interval, not per try.
      note_accept_failure(ec);
      if (state.draining) return;
      accept_backoff.expires_after(accept_retry);
      return accept_backoff.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec && !state.draining && acceptor.is_open()) do_accept();
      });
    }
    if (failed_accepts != 0) {
      std::cerr << "rollproof-mock: accept: serving again after " << failed_accepts
                << " failed accepts\n";
      failed_accepts = 0;
    }
    std::make_shared<session>(std::move(socket), state)->run();
    if (!state.draining) do_accept();
  }

  void note_accept_failure(const beast::error_code& ec) {
    ++failed_accepts;
    const auto now = std::chrono::steady_clock::now();
    if (failed_accepts > 1 && now - last_accept_log < accept_log_interval) return;
    last_accept_log = now;
    std::cerr << "rollproof-mock: accept: " << ec.message() << " (" << failed_accepts
              << " failed so far); retrying every " << accept_retry.count() << " ms\n";
  }

  void begin_drain() {
    if (state.draining.exchange(true)) return;
    signals.cancel();
    net::post(acceptor.get_executor(), [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
      accept_backoff.cancel();
    });
    std::vector<std::shared_ptr<session>> live;
    {
      const std::lock_guard lock(state.sessions_mutex);
      for (const auto& [key, weak] : state.sessions)
        if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (const auto& s : live)
      s->shutdown();
    // In-flight requests get a bounded time; after that the io_context is stopped regardless.
    drain_timer.expires_after(state.options.drain_timeout);
    drain_timer.async_wait([this](beast::error_code ec) {
      if (!ec) ioc.stop();
    });
    // The timer alone must not keep run() alive once every session is gone.
    poll_sessions();
  }

  void poll_sessions() {
    auto check = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(20));
    check->async_wait([this, check](beast::error_code ec) {
      if (ec) return;
      bool empty = false;
      {
        const std::lock_guard lock(state.sessions_mutex);
        empty = state.sessions.empty();
      }
      if (empty)
        drain_timer.cancel();
      else
        poll_sessions();
    });
  }

  mock_state state;
  net::io_context ioc;
  net::ip::tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  // Accept failures (on the acceptor's strand): a pause before the next try, a bounded log.
  static constexpr std::chrono::milliseconds accept_retry{100};
  static constexpr std::chrono::seconds accept_log_interval{5};
  net::steady_timer accept_backoff;
  std::uint64_t failed_accepts = 0;
  std::chrono::steady_clock::time_point last_accept_log;
};

server::server(server_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

server::~server() = default;

std::expected<std::uint16_t, std::string> server::listen() {
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->state.options.host, ec);
  if (ec) return std::unexpected("bad listen address '" + impl_->state.options.host + "'");
  const net::ip::tcp::endpoint endpoint{address, impl_->state.options.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return std::unexpected("cannot listen on " + impl_->state.options.host + ":" +
                           std::to_string(impl_->state.options.port) + ": " + ec.message());
  return acceptor.local_endpoint().port();
}

void server::run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->begin_drain();
  });
  impl_->do_accept();
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->state.options.threads; ++i)
    threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads)
    t.join();
}

void server::stop() {
  net::post(impl_->ioc, [this] { impl_->begin_drain(); });
}

}  // namespace rollproof::mock
