#pragma once
// Where every test finds the checkout and the built binaries: the ROLLPROOF_SOURCE_DIR and
// ROLLPROOF_BIN_DIR environment variables when set and not empty, else the paths
// rollproof_add_gtest compiles in (ROLLPROOF_*_DIR_DEFAULT; CMake 3.25's gtest_discover_tests
// cannot carry them through ctest's ENVIRONMENT). Everything a test reads is in the checkout.

#include <cstdlib>
#include <filesystem>

namespace rollproof::testing {

// The environment variable `name` when set and not empty, else `compiled_in`.
inline std::filesystem::path env_path(const char* name, const char* compiled_in) {
  const char* v = std::getenv(name);
  return std::filesystem::path(v != nullptr && *v != '\0' ? v : compiled_in);
}

// The source checkout.
inline std::filesystem::path source_dir() {
  return env_path("ROLLPROOF_SOURCE_DIR", ROLLPROOF_SOURCE_DIR_DEFAULT);
}
// build/bin: rollproof, rollproof-mock, rollproof-upload and the test subjects.
inline std::filesystem::path bin_dir() {
  return env_path("ROLLPROOF_BIN_DIR", ROLLPROOF_BIN_DIR_DEFAULT);
}
// tests/data/third_party: other projects' files, unchanged (the JUnit XSD, bucketing vectors).
inline std::filesystem::path third_party_dir() {
  return source_dir() / "tests" / "data" / "third_party";
}
// The Jenkins xUnit plugin's JUnit XML schema.
inline std::filesystem::path junit_xsd() {
  return third_party_dir() / "jenkins-xunit" / "junit-10.xsd";
}

}  // namespace rollproof::testing
