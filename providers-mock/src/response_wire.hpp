#pragma once
// Private: the bytes of a mock response, built the one way every session sends them, so the fuzz
// targets and the tests judge exactly what goes on the wire.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rollproof/mock/fault_rules.hpp"
#include "rollproof/mock/provider_api.hpp"

namespace rollproof::mock {

// The reply of a status fault `a`: its own body, else `shaped` (the provider's error for the
// status), with the rule's headers after the reply's own.
[[nodiscard]] reply status_fault_reply(const fault_action& a, reply shaped);

// The HTTP/1.1 response to `r`: Server, Content-Type (when set), `request_id` (header name and
// value, when given), `r.headers`, no body for 1xx/204/304; throws only if `r` did not come from a
// validated plan or the provider logic.
[[nodiscard]] std::string response_wire(
    reply r, const std::optional<std::pair<std::string_view, std::string>>& request_id,
    bool keep_alive);

}  // namespace rollproof::mock
