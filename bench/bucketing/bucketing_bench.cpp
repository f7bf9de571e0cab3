// Bucketing evaluations per second: rollproof::upload::bucket_of (ours) against a plain loop of
// OpenSSL SHA-1 over the same "salt.user" strings (peer: the least work a hash-based bucketing can
// do). Prints one JSON line per scheme: {name, ours, peer, ratio, unit, goal}. Not a ctest test.
//
// usage: rollproof-bucketing-bench [--quick]

#include <openssl/sha.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "rollproof/upload/bucketing.hpp"

namespace {

namespace up = rollproof::upload;
using clock_type = std::chrono::steady_clock;

std::vector<std::string> user_ids(std::size_t n) {
  std::vector<std::string> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    ids.push_back("user-" + std::to_string(i * 2654435761u));
  return ids;
}

// Evaluations per second of `f` over every id, the best of `runs` passes.
template <typename F>
double best_rate(const std::vector<std::string>& ids, int runs, F f) {
  double best = 0;
  std::uint64_t sink = 0;
  for (int r = 0; r < runs; ++r) {
    const auto start = clock_type::now();
    for (const auto& id : ids)
      sink += f(id);
    const double s = std::chrono::duration<double>(clock_type::now() - start).count();
    best = std::max(best, static_cast<double>(ids.size()) / s);
  }
  // Keeps the loop from being optimized away.
  if (sink == 42) std::cerr << "";
  return best;
}

std::uint64_t sha1_loop(const std::string& salt, const std::string& id) {
  const std::string input = salt + "." + id;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return digest[0];
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const auto ids = user_ids(quick ? 200'000 : 1'000'000);
  const int runs = quick ? 3 : 5;
  const std::string salt = "async_upload";
  const double peer =
      best_rate(ids, runs, [&](const std::string& id) { return sha1_loop(salt, id); });
  for (const auto scheme : {up::bucketing_scheme::rollproof, up::bucketing_scheme::unleash,
                            up::bucketing_scheme::growthbook, up::bucketing_scheme::flagd,
                            up::bucketing_scheme::launchdarkly}) {
    const double ours = best_rate(ids, runs, [&](const std::string& id) {
      return static_cast<std::uint64_t>(up::bucket_of(scheme, salt, id));
    });
    std::cout << boost::json::serialize(boost::json::object{
                     {"name", "bucketing_" + std::string(up::to_string(scheme)) + "_vs_sha1_loop"},
                     {"ours", ours},
                     {"peer", peer},
                     {"ratio", ours / peer},
                     {"unit", "evaluations/s"},
                     {"goal", ">= 0.5"}})
              << "\n";
  }
}
