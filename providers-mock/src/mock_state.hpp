#pragma once
// Private: the state every connection of one mock server shares.

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "rollproof/mock/fault_engine.hpp"
#include "rollproof/mock/file_store.hpp"
#include "rollproof/mock/ledger.hpp"
#include "rollproof/mock/provider_api.hpp"
#include "rollproof/mock/rate_limiter.hpp"
#include "rollproof/mock/server.hpp"

namespace rollproof::mock {

class session;

// Shared by all sessions; each member is thread-safe on its own.
struct mock_state {
  explicit mock_state(server_options o)
      : options(std::move(o)),
        faults(options.provider.seed),
        rates(options.rate),
        api(options.provider, store) {
    faults.set_plan(options.faults);
  }

  server_options options;
  file_store store;
  ledger log;
  fault_engine faults;
  rate_limiter rates;
  provider_api api;
  std::atomic<bool> draining{false};

  std::mutex sessions_mutex;
  std::unordered_map<const session*, std::weak_ptr<session>> sessions;
};

}  // namespace rollproof::mock
