#include "rollproof/mock/credentials.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>

namespace rollproof::mock {

namespace json = boost::json;

namespace {

constexpr std::string_view bearer = "Bearer ";
constexpr std::size_t max_token_bytes = 8 * 1024;

bool is_base64url(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::string base64url_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

// nullopt when `s` is not unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view s) {
  if (!is_base64url(s) || s.size() % 4 == 1) return std::nullopt;
  std::string padded(s);
  std::replace(padded.begin(), padded.end(), '-', '+');
  std::replace(padded.begin(), padded.end(), '_', '/');
  const std::size_t pad = (4 - padded.size() % 4) % 4;
  padded.append(pad, '=');
  std::string out(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - pad);  // EVP_DecodeBlock counts padding as zeros
  return out;
}

std::string hmac_sha256(std::string_view secret, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &length);
  return {reinterpret_cast<const char*>(mac.data()), length};
}

std::optional<json::object> object_of(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

bool has_string(const json::object& o, std::string_view key, std::string_view value) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() && v->get_string() == value;
}

std::expected<accepted_credential, credential_refusal> check_jwt(std::string_view token,
                                                                 std::span<const std::string> keys,
                                                                 std::int64_t now_ms) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const std::string_view signed_part = token.substr(0, second);
  const auto header_text = base64url_decode(token.substr(0, first));
  const auto payload_text = base64url_decode(token.substr(first + 1, second - first - 1));
  const auto signature = base64url_decode(token.substr(second + 1));
  if (!header_text || !payload_text || !signature)
    return std::unexpected(credential_refusal::malformed);
  const auto header = object_of(*header_text);
  const auto payload = object_of(*payload_text);
  if (!header || !payload || !has_string(*header, "alg", "HS256") ||
      !has_string(*header, "sign_type", "SIGN"))
    return std::unexpected(credential_refusal::malformed);
  const auto* id = payload->if_contains("api_key");
  const auto* exp = payload->if_contains("exp");
  if (id == nullptr || !id->is_string() || id->get_string().empty() || exp == nullptr ||
      !exp->is_number())
    return std::unexpected(credential_refusal::malformed);
  const std::string_view key_id = id->get_string();
  // As a double: the Node SDK's microseconds pass 2^53 in the year 2255 only.
  const double expires_ms = exp->is_double()  ? exp->get_double()
                            : exp->is_int64() ? static_cast<double>(exp->get_int64())
                                              : static_cast<double>(exp->get_uint64());
  accepted_credential accepted{credential_form::jwt, std::string(key_id)};
  if (!keys.empty()) {
    const auto key = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) {
      return k.size() > key_id.size() && k.starts_with(key_id) && k[key_id.size()] == '.';
    });
    if (key == keys.end()) return std::unexpected(credential_refusal::unknown_key);
    const std::string_view secret = std::string_view(*key).substr(key_id.size() + 1);
    if (!same_secret(hmac_sha256(secret, signed_part), *signature))
      return std::unexpected(credential_refusal::bad_signature);
    accepted.key = *key;
  }
  if (!std::isfinite(expires_ms) || expires_ms < static_cast<double>(now_ms))
    return std::unexpected(credential_refusal::expired);
  return accepted;
}

}  // namespace

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view to_string(credential_form f) {
  switch (f) {
    case credential_form::bearer_key:
      return "bearer_key";
    case credential_form::jwt:
      return "jwt";
    case credential_form::bearer_jwt:
      return "bearer_jwt";
  }
  return "bearer_key";
}

std::expected<accepted_credential, credential_refusal> check_credential(
    std::optional<std::string_view> authorization, std::span<const std::string> keys,
    bool allow_jwt, std::int64_t now_ms) {
  if (!authorization || authorization->empty()) return std::unexpected(credential_refusal::missing);
  std::string_view token = *authorization;
  const bool has_bearer = token.starts_with(bearer);
  if (has_bearer) token.remove_prefix(bearer.size());
  if (token.empty()) return std::unexpected(credential_refusal::missing);
  const bool jwt_shaped =
      std::count(token.begin(), token.end(), '.') == 2 && token.size() <= max_token_bytes;
  if (allow_jwt && jwt_shaped) {
    auto accepted = check_jwt(token, keys, now_ms);
    if (accepted && has_bearer) accepted->form = credential_form::bearer_jwt;
    return accepted;
  }
  if (!has_bearer)
    return std::unexpected(allow_jwt ? credential_refusal::malformed : credential_refusal::missing);
  if (keys.empty()) return accepted_credential{credential_form::bearer_key, std::string(token)};
  const bool known = std::any_of(keys.begin(), keys.end(),
                                 [&](const std::string& k) { return same_secret(k, token); });
  if (!known) return std::unexpected(credential_refusal::unknown_key);
  return accepted_credential{credential_form::bearer_key, std::string(token)};
}

std::string sign_glm_token(std::string_view payload_json, std::string_view secret) {
  const std::string signed_part = base64url_encode(R"({"alg":"HS256","sign_type":"SIGN"})") + "." +
                                  base64url_encode(payload_json);
  return signed_part + "." + base64url_encode(hmac_sha256(secret, signed_part));
}

}  // namespace rollproof::mock
