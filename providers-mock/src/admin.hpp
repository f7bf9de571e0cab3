#pragma once
// Private: the /_mock/ admin API (ledger, stats, faults, reset, health).

#include <optional>
#include <string>
#include <string_view>

#include "mock_state.hpp"

namespace rollproof::mock {

// True when a request's `Authorization` ("Bearer <token>") or `X-Mock-Admin-Token` header (each
// nullopt when absent) carries `token`, compared with same_secret (credentials.hpp).
[[nodiscard]] bool admin_token_matches(std::optional<std::string_view> authorization,
                                       std::optional<std::string_view> token_header,
                                       std::string_view token);

// Answers one admin request; `body` is the request body (PUT /_mock/faults).
reply admin_reply(mock_state& state, std::string_view method, std::string_view path,
                  std::string_view query, std::string_view body);

}  // namespace rollproof::mock
