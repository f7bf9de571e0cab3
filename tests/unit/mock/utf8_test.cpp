#include "rollproof/mock/utf8.hpp"

#include <gtest/gtest.h>

namespace rollproof::mock {
namespace {

const std::string fffd = "\xEF\xBF\xBD";

TEST(utf8, accepts_ascii_and_every_well_formed_length) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("plain.txt"));
  EXPECT_TRUE(is_utf8("\xC3\xA9"));          // é
  EXPECT_TRUE(is_utf8("\xE6\x96\x87"));      // 文
  EXPECT_TRUE(is_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(is_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(utf8, refuses_stray_bytes_overlong_forms_surrogates_and_values_over_u10ffff) {
  EXPECT_FALSE(is_utf8("\xFF"));
  EXPECT_FALSE(is_utf8("\x80"));
  EXPECT_FALSE(is_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_utf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(is_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(is_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_utf8("\xE6\x96"));          // cut short
}

TEST(utf8, counts_the_bytes_of_the_first_sequence) {
  EXPECT_EQ(utf8_sequence_length("a"), 1u);
  EXPECT_EQ(utf8_sequence_length("\xE6\x96\x87x"), 3u);
  EXPECT_EQ(utf8_sequence_length("\xE6\x96"), 0u);
  EXPECT_EQ(utf8_sequence_length(""), 0u);
  EXPECT_EQ(utf8_valid_prefix("ab\xFF"
                              "cd"),
            2u);
}

TEST(utf8, takes_a_sequence_cut_at_the_very_end_as_a_prefix) {
  EXPECT_TRUE(is_utf8_prefix("abc\xE6\x96"));
  EXPECT_TRUE(is_utf8_prefix("abc\xF0"));
  EXPECT_FALSE(is_utf8_prefix("abc\xE6\x96x"));
  EXPECT_FALSE(is_utf8_prefix("abc\xE0\x80"));  // can never become well formed
  EXPECT_FALSE(is_utf8_prefix("\xFF"));
}

TEST(utf8, replaces_each_maximal_ill_formed_subsequence_by_one_replacement_character) {
  EXPECT_EQ(to_utf8("plain \xE6\x96\x87"), "plain \xE6\x96\x87");
  EXPECT_EQ(to_utf8("a\xFF\xFE"
                    "b"),
            "a" + fffd + fffd + "b");
  EXPECT_EQ(to_utf8("a\xE6\x96"
                    "b"),
            "a" + fffd + "b");  // one truncated sequence, one U+FFFD
  EXPECT_EQ(to_utf8("\xC0\xAF"), fffd + fffd);
  EXPECT_EQ(to_utf8("\xED\xA0\x80"), fffd + fffd + fffd);
  EXPECT_EQ(to_utf8("end\xF0\x9F\x98"), "end" + fffd);
}

TEST(utf8, makes_any_bytes_valid) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all += static_cast<char>(i);
  EXPECT_TRUE(is_utf8(to_utf8(all)));
  EXPECT_TRUE(is_utf8(to_utf8(all + all.substr(128))));
}

}  // namespace
}  // namespace rollproof::mock
