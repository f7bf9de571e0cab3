#include "rollproof/common/terminal_text.hpp"

#include <gtest/gtest.h>

namespace rollproof {
namespace {

TEST(terminal_text, shows_escape_sequences_instead_of_sending_them) {
  EXPECT_EQ(terminal_text("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(terminal_text("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
  EXPECT_EQ(terminal_text(std::string_view("\0\r\x7f", 3)), "\\x00\\x0d\\x7f");
}

TEST(terminal_text, keeps_newlines_tabs_and_printable_utf8) {
  EXPECT_EQ(terminal_text("line\tone\nzwei \xc3\xa9 \xe2\x86\x92 \xf0\x9f\x9a\x80"),
            "line\tone\nzwei \xc3\xa9 \xe2\x86\x92 \xf0\x9f\x9a\x80");
}

TEST(terminal_text, shows_c1_controls_such_as_the_one_byte_csi) {
  EXPECT_EQ(terminal_text("a\xc2\x9b"
                          "2Jb"),
            "a\\xc2\\x9b2Jb");
  EXPECT_EQ(terminal_text("\xc2\xa0"), "\xc2\xa0");  // U+00A0 is printable
}

TEST(terminal_text, shows_each_byte_of_invalid_utf8) {
  EXPECT_EQ(terminal_text("\xff"), "\\xff");
  EXPECT_EQ(terminal_text("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(terminal_text("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(terminal_text("\xe2\x82"), "\\xe2\\x82");                    // cut short
  EXPECT_EQ(terminal_text("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(terminal_text("\x9b"), "\\x9b");                             // a lone 8-bit CSI
}

}  // namespace
}  // namespace rollproof
