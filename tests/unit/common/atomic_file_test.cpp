#include "rollproof/common/atomic_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace rollproof {
namespace {

std::string contents_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(write_file_atomically, replaces_the_file_and_leaves_no_temporary) {
  const auto dir = std::filesystem::temp_directory_path() / "rollproof_atomic_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "report.json";
  ASSERT_TRUE(write_file_atomically(path, "old").has_value());
  ASSERT_TRUE(write_file_atomically(path, "new content").has_value());
  EXPECT_EQ(contents_of(path), "new content");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  std::filesystem::remove_all(dir);
}

TEST(write_file_atomically, fails_with_the_path_when_the_folder_is_missing) {
  const auto result = write_file_atomically("/nonexistent-rollproof/out/x.json", "data");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().find("/nonexistent-rollproof/out/x.json"), std::string::npos);
}

}  // namespace
}  // namespace rollproof
