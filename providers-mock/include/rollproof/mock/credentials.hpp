#pragma once
// How a request proves it holds an API key: the raw key after "Bearer " (Kimi and GLM), or, for
// GLM only, the JWT Zhipu's SDKs send in its place. The JWT is HS256 over the secret half of a key
// "<id>.<secret>", header {"alg":"HS256","sign_type":"SIGN"}, payload {"api_key": <id>, "exp",
// "timestamp"}; Zhipu's Node SDK sends it without "Bearer ", its Python SDK with it. Signatures are
// checked with OpenSSL's HMAC and compared in constant time.

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rollproof::mock {

// True when `a` and `b` are the same bytes; for equal lengths the time taken does not depend on
// where they differ (OpenSSL's CRYPTO_memcmp), so timing cannot reveal a secret byte by byte.
[[nodiscard]] bool same_secret(std::string_view a, std::string_view b);

// The form of credential a request used (recorded in the ledger as `auth`).
enum class credential_form { bearer_key, jwt, bearer_jwt };

// "bearer_key", "jwt" or "bearer_jwt".
[[nodiscard]] std::string_view to_string(credential_form f);

// Why a credential was refused. Each maps to one GLM business code (README.md, "Authentication"):
// missing 1001, malformed 1002, expired 1003, bad_signature 1004, unknown_key 1000.
enum class credential_refusal { missing, malformed, expired, bad_signature, unknown_key };

// A credential that was accepted: its form and the key it stands for (the raw key; for a JWT the
// accepted "<id>.<secret>" it was signed with, or its `api_key` id when no keys are configured).
struct accepted_credential {
  credential_form form = credential_form::bearer_key;
  std::string key;
};

// Checks an Authorization header value against `keys` (empty: any well-formed credential is
// accepted, JWT signatures unchecked, but an expired JWT is still refused). `allow_jwt` is false
// for Kimi, whose API knows only the raw key. A JWT's `exp` is read as milliseconds since the Unix
// epoch, as Zhipu documents; Zhipu's Node SDK writes microseconds (exp = now_us + 180000), which
// the real service accepts, and which here is a time far in the future, so accepted too. A token
// without a numeric `exp` is malformed. `now_ms` is the current time in ms since the epoch.
[[nodiscard]] std::expected<accepted_credential, credential_refusal> check_credential(
    std::optional<std::string_view> authorization, std::span<const std::string> keys,
    bool allow_jwt, std::int64_t now_ms);

// The compact JWS "<b64url header>.<b64url payload>.<b64url HS256 signature>" of `payload_json`
// under header {"alg":"HS256","sign_type":"SIGN"}, signed with `secret`: what Zhipu's SDKs send.
// For tests and tools.
[[nodiscard]] std::string sign_glm_token(std::string_view payload_json, std::string_view secret);

}  // namespace rollproof::mock
