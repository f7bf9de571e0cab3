// Replays every seed and every regression input of one fuzz target through its libFuzzer entry
// point in an ordinary build, so inputs that once crashed guard `make test` too. The suite is
// named after the target (ROLLPROOF_FUZZ_SUITE) so the ctest names of the binaries differ.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_paths.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_under(const fs::path& dir) {
  std::vector<fs::path> found;
  if (!fs::is_directory(dir)) return found;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && !e.path().filename().string().starts_with(".")) found.push_back(e);
  return found;
}

std::string contents_of(const fs::path& file) {
  std::string bytes(fs::file_size(file), '\0');
  std::ifstream in(file, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

int run_target_on(const fs::path& file) {
  const std::string bytes = contents_of(file);
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

const fs::path fuzz_dir = rollproof::testing::source_dir() / "tests" / "fuzz";

}  // namespace

TEST(ROLLPROOF_FUZZ_SUITE, every_seed_input_runs_through_the_target) {
  const auto seeds = inputs_under(fuzz_dir / "seeds" / ROLLPROOF_FUZZ_TARGET);
  ASSERT_FALSE(seeds.empty()) << "no seeds for " << ROLLPROOF_FUZZ_TARGET;
  for (const auto& file : seeds)
    EXPECT_EQ(run_target_on(file), 0) << file;
}

TEST(ROLLPROOF_FUZZ_SUITE, every_regression_input_runs_through_the_target) {
  const auto dir = fuzz_dir / "regressions" / ROLLPROOF_FUZZ_TARGET;
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing";
  for (const auto& file : inputs_under(dir))
    EXPECT_EQ(run_target_on(file), 0) << file;
}
