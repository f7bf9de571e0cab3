#include "stream_scan.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rollproof::framework::detail {
namespace {

// Feeds `text` to a scan for `needle` in chunks of `size` bytes; true when found.
bool found_in_chunks(const std::string& needle, const std::string& text, std::size_t size) {
  stream_scan scan({needle});
  for (std::size_t at = 0; at < text.size(); at += size)
    scan.feed(std::string_view(text).substr(at, size));
  return scan.found();
}

TEST(stream_scan, finds_a_needle_split_across_chunks_at_every_offset) {
  const std::string needle = "sk-secret-42";
  const std::string text = std::string(100, 'x') + needle + std::string(100, 'y');
  for (std::size_t size = 1; size <= text.size(); ++size)
    EXPECT_TRUE(found_in_chunks(needle, text, size)) << "chunks of " << size;
}

TEST(stream_scan, finds_a_needle_early_in_a_long_stream) {
  const std::string text = "key sk-early\n" + std::string(1 << 20, '.');
  EXPECT_TRUE(found_in_chunks("sk-early", text, 4096));
}

TEST(stream_scan, does_not_find_what_is_not_there) {
  const std::string text = std::string(5000, 'x') + "sk-secret-4" + std::string(5000, 'x');
  for (std::size_t size : {1u, 7u, 4096u, 20000u})
    EXPECT_FALSE(found_in_chunks("sk-secret-42", text, size)) << "chunks of " << size;
}

TEST(stream_scan, looks_for_every_needle_and_ignores_empty_ones) {
  stream_scan scan({"", "alpha-key", "b"});
  EXPECT_FALSE(scan.feed("aaaa"));
  EXPECT_TRUE(scan.feed("xbx"));
  EXPECT_TRUE(scan.found());
  stream_scan none({""});
  EXPECT_FALSE(none.feed("anything"));
}

}  // namespace
}  // namespace rollproof::framework::detail
