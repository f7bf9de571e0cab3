// GCC 12 reports a false "potential null pointer dereference" inside Asio's executor comparison
// when it inlines timer code; the warning is about Boost, not this file.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <thread>

#include "rollproof/upload/curl_transports.hpp"

namespace rollproof::upload {

struct asio_scheduler::state {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread;
};

asio_scheduler::asio_scheduler() : state_{std::make_unique<state>()} {
  state_->thread = std::thread{[s = state_.get()] { s->io.run(); }};
}

asio_scheduler::~asio_scheduler() {
  state_->work.reset();
  state_->thread.join();
}

void asio_scheduler::after(std::chrono::milliseconds delay, std::function<void()> action) {
  auto timer = std::make_shared<boost::asio::steady_timer>(state_->io, delay);
  timer->async_wait(
      [timer, action = std::move(action)](const boost::system::error_code&) { action(); });
}

}  // namespace rollproof::upload
