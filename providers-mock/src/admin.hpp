#pragma once
// Private: the /_mock/ admin API (ledger, stats, faults, reset, health).

#include <string>
#include <string_view>

#include "mock_state.hpp"

namespace rollproof::mock {

// Answers one admin request; `body` is the request body (PUT /_mock/faults).
reply admin_reply(mock_state& state, std::string_view method, std::string_view path,
                  std::string_view query, std::string_view body);

}  // namespace rollproof::mock
