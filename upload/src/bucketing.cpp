#include "rollproof/upload/bucketing.hpp"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "rollproof/common/sha256.hpp"

namespace rollproof::upload {
namespace {

std::uint32_t rotl32(std::uint32_t x, int r) {
  return (x << r) | (x >> (32 - r));
}

std::uint32_t fmix32(std::uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bU;
  h ^= h >> 13;
  h *= 0xc2b2ae35U;
  h ^= h >> 16;
  return h;
}

// Decodes UTF-8 into UTF-16 code units, as a JS string holds them; malformed input becomes U+FFFD
// so that hashing never fails.
std::vector<std::uint16_t> utf16_units(std::string_view text) {
  std::vector<std::uint16_t> units;
  units.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = 0xFFFD;
    std::size_t len = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else {
      std::size_t need = 0;
      std::uint32_t min = 0;
      if ((b0 & 0xE0) == 0xC0)
        need = 1, cp = b0 & 0x1F, min = 0x80;
      else if ((b0 & 0xF0) == 0xE0)
        need = 2, cp = b0 & 0x0F, min = 0x800;
      else if ((b0 & 0xF8) == 0xF0)
        need = 3, cp = b0 & 0x07, min = 0x10000;
      bool valid = need > 0;
      for (std::size_t k = 1; valid && k <= need; ++k) {
        if (i + k >= text.size()) {
          valid = false;
          break;
        }
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80)
          valid = false;
        else
          cp = (cp << 6) | (b & 0x3F);
      }
      if (valid && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        len = need + 1;
      } else {
        cp = 0xFFFD;
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push_back(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      units.push_back(static_cast<std::uint16_t>(cp));
    }
    i += len;
  }
  return units;
}

std::uint64_t parse_hex_prefix(std::string_view hex, std::size_t digits) {
  std::uint64_t v = 0;
  std::from_chars(hex.data(), hex.data() + digits, v, 16);
  return v;
}

std::uint32_t rollproof_bucket(std::string_view salt, std::string_view user) {
  // First 4 bytes of SHA-256 are well mixed; multiply-shift maps them to [0, 10000) without the
  // modulo bias of `% 10000`.
  std::string input;
  input.reserve(salt.size() + 1 + user.size());
  input.append(salt).append(":").append(user);
  const auto h = static_cast<std::uint32_t>(parse_hex_prefix(sha256_hex(input), 8));
  return static_cast<std::uint32_t>((std::uint64_t{h} * 10000U) >> 32);
}

std::uint32_t unleash_bucket(std::string_view salt, std::string_view user) {
  std::string input;
  input.append(salt).append(":").append(user);
  return murmur3_x86_32(input, 0) % 100U;
}

std::uint32_t growthbook_bucket(std::string_view salt, std::string_view user) {
  std::string input;
  input.append(salt).append(user);
  return fnv1a32_utf16(std::to_string(fnv1a32_utf16(input))) % 10000U;
}

std::uint32_t flagd_bucket(std::string_view salt, std::string_view user) {
  std::string input;
  input.append(salt).append(user);
  return static_cast<std::uint32_t>((std::uint64_t{murmur3_x86_32(input, 0)} * 100U) >> 32);
}

__extension__ using uint128 = unsigned __int128;

std::uint32_t launchdarkly_bucket(std::string_view salt, std::string_view user) {
  std::string input;
  input.append(salt).append(".").append(user);
  const std::uint64_t v = parse_hex_prefix(sha1_hex(input), 15);
  // Exact integer arithmetic: v * 100000 overflows 64 bits, so widen.
  const auto bucket =
      static_cast<std::uint64_t>(static_cast<uint128>(v) * 100000U / 0xFFFFFFFFFFFFFFFULL);
  return static_cast<std::uint32_t>(bucket >= 100000U ? 99999U : bucket);
}

}  // namespace

std::string_view to_string(bucketing_scheme scheme) {
  switch (scheme) {
    case bucketing_scheme::rollproof:
      return "rollproof";
    case bucketing_scheme::unleash:
      return "unleash";
    case bucketing_scheme::growthbook:
      return "growthbook";
    case bucketing_scheme::flagd:
      return "flagd";
    case bucketing_scheme::launchdarkly:
      return "launchdarkly";
  }
  return "rollproof";
}

std::optional<bucketing_scheme> parse_scheme(std::string_view name) {
  for (auto s :
       {bucketing_scheme::rollproof, bucketing_scheme::unleash, bucketing_scheme::growthbook,
        bucketing_scheme::flagd, bucketing_scheme::launchdarkly})
    if (to_string(s) == name) return s;
  return std::nullopt;
}

std::uint32_t bucket_scale(bucketing_scheme scheme) {
  switch (scheme) {
    case bucketing_scheme::rollproof:
      return 10000;
    case bucketing_scheme::unleash:
      return 100;
    case bucketing_scheme::growthbook:
      return 10000;
    case bucketing_scheme::flagd:
      return 100;
    case bucketing_scheme::launchdarkly:
      return 100000;
  }
  return 10000;
}

std::uint32_t bucket_of(bucketing_scheme scheme, std::string_view salt, std::string_view user) {
  switch (scheme) {
    case bucketing_scheme::rollproof:
      return rollproof_bucket(salt, user);
    case bucketing_scheme::unleash:
      return unleash_bucket(salt, user);
    case bucketing_scheme::growthbook:
      return growthbook_bucket(salt, user);
    case bucketing_scheme::flagd:
      return flagd_bucket(salt, user);
    case bucketing_scheme::launchdarkly:
      return launchdarkly_bucket(salt, user);
  }
  return 0;
}

bool bucket_included(bucketing_scheme scheme, std::uint32_t bucket, double rollout_percent) {
  const double b = bucket;
  switch (scheme) {
    case bucketing_scheme::rollproof:
      return b < rollout_percent * 100.0;
    case bucketing_scheme::unleash:
      return rollout_percent > 0 && b + 1.0 <= rollout_percent;
    // GrowthBook compares the two fractions as JS doubles; the same divisions keep its rounding.
    case bucketing_scheme::growthbook:
      return rollout_percent > 0 && b / 10000.0 <= rollout_percent / 100.0;
    case bucketing_scheme::flagd:
      return b < rollout_percent;
    case bucketing_scheme::launchdarkly:
      return b < rollout_percent * 1000.0;
  }
  return false;
}

std::uint32_t murmur3_x86_32(std::string_view bytes, std::uint32_t seed) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t len = bytes.size();
  const std::size_t nblocks = len / 4;
  std::uint32_t h1 = seed;
  constexpr std::uint32_t c1 = 0xcc9e2d51U;
  constexpr std::uint32_t c2 = 0x1b873593U;
  for (std::size_t i = 0; i < nblocks; ++i) {
    // Little-endian block reads, as the reference does on x86, independent of host byte order.
    std::uint32_t k1 = std::uint32_t{data[4 * i]} | (std::uint32_t{data[4 * i + 1]} << 8) |
                       (std::uint32_t{data[4 * i + 2]} << 16) |
                       (std::uint32_t{data[4 * i + 3]} << 24);
    k1 *= c1;
    k1 = rotl32(k1, 15);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl32(h1, 13);
    h1 = h1 * 5 + 0xe6546b64U;
  }
  const unsigned char* tail = data + nblocks * 4;
  std::uint32_t k1 = 0;
  switch (len & 3U) {
    case 3:
      k1 ^= std::uint32_t{tail[2]} << 16;
      [[fallthrough]];
    case 2:
      k1 ^= std::uint32_t{tail[1]} << 8;
      [[fallthrough]];
    case 1:
      k1 ^= tail[0];
      k1 *= c1;
      k1 = rotl32(k1, 15);
      k1 *= c2;
      h1 ^= k1;
  }
  h1 ^= static_cast<std::uint32_t>(len);
  return fmix32(h1);
}

std::uint32_t fnv1a32_utf16(std::string_view text) {
  std::uint32_t h = 0x811C9DC5U;
  for (std::uint16_t unit : utf16_units(text)) {
    h ^= unit;
    h *= 0x01000193U;
  }
  return h;
}

std::optional<double> growthbook_hash(std::string_view seed, std::string_view value, int version) {
  if (version == 1) {
    std::string input{value};
    input.append(seed);
    return static_cast<double>(fnv1a32_utf16(input) % 1000U) / 1000.0;
  }
  if (version == 2) return static_cast<double>(growthbook_bucket(seed, value)) / 10000.0;
  return std::nullopt;
}

std::string sha1_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha1(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace rollproof::upload
