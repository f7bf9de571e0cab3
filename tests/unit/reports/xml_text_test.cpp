#include "xml_text.hpp"

#include <gtest/gtest.h>

namespace rollproof::reports::detail {
namespace {

TEST(clean_text, replaces_control_characters_and_keeps_tabs_and_newlines) {
  EXPECT_EQ(clean_text("a\x1b"
                       "b\tc\nd\x07"),
            "a\xEF\xBF\xBD"
            "b\tc\nd\xEF\xBF\xBD");
  EXPECT_EQ(clean_text("\x1b[1;31mHTTP 503\x1b[0m"), "HTTP 503");
  EXPECT_EQ(clean_text("line\r\nnext\rlast"), "line\nnext\nlast");
}

TEST(clean_text, replaces_invalid_utf8_and_keeps_valid_multibyte_text) {
  EXPECT_EQ(clean_text("caf\xC3\xA9 \xE6\x97\xA5"), "caf\xC3\xA9 \xE6\x97\xA5");
  EXPECT_EQ(clean_text("bad\xC3("), "bad\xEF\xBF\xBD(");
  EXPECT_EQ(clean_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(clean_text("\xC2\x85"), "\xEF\xBF\xBD");              // C1 control NEL
}

TEST(escape, escapes_markup_and_attribute_whitespace) {
  EXPECT_EQ(escape("<a href=\"x\">&'</a>", true),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape("<a href=\"x\">&'</a>", false), "&lt;a href=\"x\"&gt;&amp;'&lt;/a&gt;");
  EXPECT_EQ(escape("a\nb\tc", true), "a&#10;b&#9;c");
  EXPECT_EQ(escape("a\nb", false), "a\nb");
}

}  // namespace
}  // namespace rollproof::reports::detail
