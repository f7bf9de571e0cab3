#include "rollproof/common/sha256.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rollproof {
namespace {

// FIPS 180-2 appendix B examples.
TEST(sha256, matches_the_fips_examples) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(sha256, gives_the_same_digest_fed_in_pieces) {
  sha256 h;
  h.update("a");
  h.update("bc");
  EXPECT_EQ(h.finish(), sha256_hex("abc"));
}

TEST(sha256, hashes_a_file_like_its_content) {
  const auto path = std::filesystem::temp_directory_path() / "rollproof_sha256_test.bin";
  std::string content(3 << 20, 'x');
  content[12345] = 'y';
  std::ofstream(path, std::ios::binary) << content;
  const auto digest = sha256_file(path);
  ASSERT_TRUE(digest.has_value()) << digest.error();
  EXPECT_EQ(*digest, sha256_hex(content));
  std::filesystem::remove(path);
}

TEST(sha256, reports_a_missing_file_by_name) {
  const auto digest = sha256_file("/nonexistent/rollproof/file");
  ASSERT_FALSE(digest.has_value());
  EXPECT_NE(digest.error().find("/nonexistent/rollproof/file"), std::string::npos);
}

}  // namespace
}  // namespace rollproof
