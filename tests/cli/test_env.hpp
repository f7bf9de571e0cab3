#pragma once
// Paths the framework's tests use: the ROLLPROOF_* environment variables when ctest sets them,
// else the values CMake compiled in (gtest_discover_tests drops the ENVIRONMENT property of
// rollproof_add_gtest in CMake 3.25, so the compiled-in values are what usually applies).

#include <cstdlib>
#include <filesystem>
#include <string>

namespace rollproof::testing {

inline std::filesystem::path env_path(const char* name, const char* compiled_in) {
  const char* v = std::getenv(name);
  return std::filesystem::path(v != nullptr && *v != '\0' ? v : compiled_in);
}

// The source checkout.
inline std::filesystem::path source_dir() {
  return env_path("ROLLPROOF_SOURCE_DIR", ROLLPROOF_TEST_SOURCE_DIR);
}
// build/bin: rollproof, rollproof-mock, rollproof-upload.
inline std::filesystem::path bin_dir() {
  return env_path("ROLLPROOF_BIN_DIR", ROLLPROOF_TEST_BIN_DIR);
}
// ../shared: specs and the JUnit XSD.
inline std::filesystem::path shared_dir() {
  return env_path("ROLLPROOF_SHARED_DIR", ROLLPROOF_TEST_SHARED_DIR);
}

}  // namespace rollproof::testing
