#pragma once
// Bucketing schemes: map (salt, user) to a bucket and decide rollout membership.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollproof::upload {

// The bucketing algorithms of the subject protocol's `scheme`.
enum class bucketing_scheme { rollproof, unleash, growthbook, flagd, launchdarkly };

// The protocol spelling of a scheme, e.g. "growthbook".
[[nodiscard]] std::string_view to_string(bucketing_scheme scheme);

// Parses a scheme name; nullopt for an unknown one.
[[nodiscard]] std::optional<bucketing_scheme> parse_scheme(std::string_view name);

// Number of buckets of a scheme: rollproof 10000, unleash 100, growthbook 10000, flagd 100,
// launchdarkly 100000.
[[nodiscard]] std::uint32_t bucket_scale(bucketing_scheme scheme);

// The user's bucket in [0, bucket_scale(scheme)), exactly as subject-protocol.md's table defines.
[[nodiscard]] std::uint32_t bucket_of(bucketing_scheme scheme, std::string_view salt,
                                      std::string_view user);

// True when a user in `bucket` gets a flag rolled out to `rollout_percent` (0..100) under `scheme`.
[[nodiscard]] bool bucket_included(bucketing_scheme scheme, std::uint32_t bucket,
                                   double rollout_percent);

// MurmurHash3 x86_32 of `bytes` (SMHasher reference, unsigned result).
[[nodiscard]] std::uint32_t murmur3_x86_32(std::string_view bytes, std::uint32_t seed);

// FNV-1a 32 over the UTF-16 code units of UTF-8 `text` (GrowthBook's JS semantics); invalid UTF-8
// bytes count as U+FFFD.
[[nodiscard]] std::uint32_t fnv1a32_utf16(std::string_view text);

// GrowthBook's hash(seed, value, version) in [0, 1); nullopt for versions other than 1 and 2.
[[nodiscard]] std::optional<double> growthbook_hash(std::string_view seed, std::string_view value,
                                                    int version);

// Lowercase hex SHA-1 of `bytes` (OpenSSL).
[[nodiscard]] std::string sha1_hex(std::string_view bytes);

}  // namespace rollproof::upload
