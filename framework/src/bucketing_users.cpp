#include <fmt/format.h>

#include <random>
#include <unordered_set>

#include "rollproof/framework/bucketing_case.hpp"

namespace rollproof::framework {
namespace {

std::string one_id(const std::string& shape, std::uint32_t i, std::mt19937_64& rng,
                   std::uint64_t base) {
  static constexpr std::string_view names[] = {"ana",    "ben",    "chen", "dana", "emil",
                                               "fatima", "george", "hana", "ivan", "jo"};
  static constexpr std::string_view domains[] = {"example.com", "mail.test", "corp.example"};
  // Non-ASCII ids mix scripts and accents, as real display-name-derived ids do.
  static constexpr std::string_view unicode[] = {"用户", "josé",     "müller", "Łukasz",
                                                 "유저", "ユーザー", "δοκιμή", "пользователь"};
  if (shape == "sequential") return std::to_string(base + i);
  if (shape == "prefixed") return fmt::format("user-{:06}", (base + i) % 1000000);
  if (shape == "email")
    return fmt::format("{}.{}{}@{}", names[rng() % 10], names[rng() % 10], rng() % 100000,
                       domains[rng() % 3]);
  if (shape == "uuid") {
    const std::uint64_t hi = rng(), lo = rng();
    return fmt::format("{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                       hi & 0xFFF, 8 + (lo >> 62), (lo >> 48) & 0xFFF, lo & 0xFFFFFFFFFFFFULL);
  }
  if (shape == "short") {
    static constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s;
    const std::size_t len = 3 + rng() % 4;
    for (std::size_t k = 0; k < len; ++k)
      s.push_back(alphabet[rng() % alphabet.size()]);
    return s;
  }
  return fmt::format("{}-{}", unicode[rng() % 8], rng() % 1000000);
}

}  // namespace

std::vector<std::string> user_ids_of_shape(const std::string& shape, std::uint32_t count,
                                           std::uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + std::hash<std::string>{}(shape));
  const std::uint64_t base = rng() % 1000000;
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  out.reserve(count);
  // Duplicates would count one user twice; random shapes redraw until the ids are distinct.
  for (std::uint32_t i = 0; out.size() < count && i < count * 20; ++i) {
    auto id = one_id(shape, static_cast<std::uint32_t>(out.size()), rng, base);
    if (seen.insert(id).second) out.push_back(std::move(id));
  }
  return out;
}

}  // namespace rollproof::framework
