#include "rollproof/mock/upload_sink.hpp"

#include <gtest/gtest.h>

#include "rollproof/common/sha256.hpp"

namespace rollproof::mock {
namespace {

// Feeds a purpose part and a file part in the given pieces, as the multipart parser would.
void send_upload(upload_sink& sink, std::string_view purpose,
                 const std::vector<std::string>& file_pieces) {
  sink.on_part_begin({"purpose", std::nullopt, ""});
  sink.on_part_data(purpose);
  sink.on_part_end();
  sink.on_part_begin({"file", "notes.txt", "text/plain"});
  for (const auto& piece : file_pieces)
    sink.on_part_data(piece);
  sink.on_part_end();
}

TEST(upload_sink, hashes_counts_and_names_the_file_part) {
  upload_sink sink({});
  send_upload(sink, "file-extract", {"hello ", "world"});
  EXPECT_EQ(sink.purpose(), "file-extract");
  EXPECT_TRUE(sink.has_file());
  EXPECT_EQ(sink.filename(), "notes.txt");
  EXPECT_EQ(sink.file_bytes(), 11u);
  EXPECT_EQ(sink.finish_hash(), rollproof::sha256_hex("hello world"));
}

TEST(upload_sink, keeps_the_filename_field_apart_from_the_file_part_and_caps_it) {
  upload_sink sink({});
  send_upload(sink, "file-extract", {"x"});
  EXPECT_FALSE(sink.filename_field());
  sink.on_part_begin({"filename", std::nullopt, ""});
  sink.on_part_data("report");
  sink.on_part_data(".md");
  sink.on_part_end();
  EXPECT_EQ(sink.filename_field(), "report.md");
  EXPECT_EQ(sink.filename(), "notes.txt");
  EXPECT_FALSE(sink.filename_field_truncated());
  upload_sink big({});
  big.on_part_begin({"filename", std::nullopt, ""});
  big.on_part_data(std::string(filename_field_cap, 'a'));
  big.on_part_data("b");
  big.on_part_end();
  EXPECT_EQ(big.filename_field()->size(), filename_field_cap);
  EXPECT_TRUE(big.filename_field_truncated());
}

TEST(upload_sink, keeps_text_up_to_the_cap_and_nothing_else_without_a_store) {
  upload_sink sink({.mode = store_mode::none, .text_cap = 4});
  send_upload(sink, "p", {"abcdef"});
  stored_file f;
  f.id = "x";
  sink.keep_into(f);
  EXPECT_TRUE(f.is_text);
  EXPECT_EQ(f.text, "abcd");
  EXPECT_FALSE(f.data.has_value());
  EXPECT_FALSE(f.path.has_value());
}

TEST(upload_sink, keeps_all_bytes_in_memory_when_asked_and_sees_binary) {
  upload_sink sink({.mode = store_mode::memory});
  send_upload(sink, "p", {std::string("a\0b", 3)});
  stored_file f;
  sink.keep_into(f);
  EXPECT_FALSE(f.is_text);
  EXPECT_EQ(f.data, std::string("a\0b", 3));
}

TEST(upload_sink, flips_the_corrupt_offset_before_hashing_even_across_pieces) {
  upload_sink sink({.corrupt_offset = 3});
  send_upload(sink, "p", {"ab", "cdef"});
  std::string flipped = "abcdef";
  flipped[3] = static_cast<char>(flipped[3] ^ 0xff);
  EXPECT_EQ(sink.finish_hash(), rollproof::sha256_hex(flipped));
}

TEST(upload_sink, takes_the_first_purpose_and_caps_its_size) {
  upload_sink sink({});
  sink.on_part_begin({"purpose", std::nullopt, ""});
  sink.on_part_data(std::string(300, 'p'));
  sink.on_part_end();
  EXPECT_EQ(sink.purpose(), "");
  EXPECT_FALSE(sink.has_file());
}

}  // namespace
}  // namespace rollproof::mock
