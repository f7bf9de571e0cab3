// libFuzzer target: the subject's side of the protocol (upload/): a request line, the flag
// configuration a configure request carries, a provider's answer and its Retry-After header.

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rollproof/upload/flags.hpp"
#include "rollproof/upload/protocol.hpp"
#include "rollproof/upload/provider.hpp"
#include "rollproof/upload/retry.hpp"

namespace {

namespace up = rollproof::upload;

void read_flags(const boost::json::object& body) {
  const auto* flags = body.if_contains("flags");
  if (flags == nullptr || !flags->is_object()) return;
  for (const auto& [name, value] : flags->as_object())
    (void)up::flag_from_json(value, name);
}

void classify_as_answer(std::string_view text) {
  // The same bytes as a provider's response body, for both providers and a few statuses.
  for (const long status : {200L, 400L, 429L, 435L, 503L}) {
    up::http_outcome outcome;
    outcome.status = status;
    outcome.body = std::string(text);
    outcome.retry_after = std::string(text.substr(0, 64));
    (void)up::classify(up::provider_kind::kimi, outcome);
    (void)up::classify(up::provider_kind::glm, outcome);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  if (auto request = up::parse_request(line)) {
    read_flags(request->body);
    // The answer to any request echoes its id; it must serialize whatever the id held.
    (void)boost::json::serialize(up::ok_response(request->id));
  } else {
    (void)boost::json::serialize(
        up::error_response(nullptr, request.error().code, request.error().message));
  }
  classify_as_answer(line);
  (void)up::parse_retry_after(line.substr(0, 128), std::chrono::system_clock::now());
  return 0;
}
