#include "rollproof/mock/multipart_parser.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

namespace rollproof::mock {
namespace {

// Records every event as text, so whole parses compare as one string.
class recording_handler : public part_handler {
 public:
  std::vector<part_header> headers;
  std::vector<std::string> contents;
  int ends = 0;

  void on_part_begin(const part_header& h) override {
    headers.push_back(h);
    contents.emplace_back();
  }
  void on_part_data(std::string_view bytes) override {
    ASSERT_FALSE(bytes.empty());
    contents.back().append(bytes);
  }
  void on_part_end() override { ++ends; }
};

std::string form_body(const std::string& boundary, const std::string& purpose,
                      const std::string& file_content, const std::string& filename = "a.txt") {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" +
         purpose + "\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: text/plain\r\n\r\n" + file_content + "\r\n--" + boundary + "--\r\n";
}

recording_handler parse_in_pieces(const std::string& boundary, const std::string& body,
                                  const std::vector<std::size_t>& cuts) {
  multipart_parser parser(boundary);
  recording_handler h;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    EXPECT_TRUE(parser.feed(std::string_view(body).substr(at, cut - at), h).has_value());
    at = cut;
  }
  EXPECT_TRUE(parser.feed(std::string_view(body).substr(at), h).has_value());
  EXPECT_TRUE(parser.finish().has_value());
  return h;
}

TEST(multipart_boundary, reads_plain_and_quoted_boundaries) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("application/json"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
}

TEST(multipart_parser, gives_the_purpose_and_file_parts_with_their_names) {
  const auto h = parse_in_pieces("XyZ", form_body("XyZ", "file-extract", "hello\r\nworld"), {});
  ASSERT_EQ(h.headers.size(), 2u);
  EXPECT_EQ(h.headers[0].name, "purpose");
  EXPECT_EQ(h.headers[0].filename, std::nullopt);
  EXPECT_EQ(h.contents[0], "file-extract");
  EXPECT_EQ(h.headers[1].name, "file");
  EXPECT_EQ(h.headers[1].filename, "a.txt");
  EXPECT_EQ(h.headers[1].content_type, "text/plain");
  EXPECT_EQ(h.contents[1], "hello\r\nworld");
  EXPECT_EQ(h.ends, 2);
}

TEST(multipart_parser, keeps_utf8_and_quoted_characters_of_filenames) {
  const auto h = parse_in_pieces("b", form_body("b", "x", "1", "福州 \\\"商场\\\".pdf"), {});
  ASSERT_EQ(h.headers.size(), 2u);
  EXPECT_EQ(h.headers[1].filename, "福州 \"商场\".pdf");
}

TEST(multipart_parser, gives_the_same_parts_when_split_at_every_byte) {
  const std::string boundary = "----boundary7MA4YWxkTrZu0gW";
  const std::string body = form_body(boundary, "batch", "data with -- dashes\r\n--almost");
  const auto whole = parse_in_pieces(boundary, body, {});
  for (std::size_t cut = 1; cut < body.size(); ++cut) {
    const auto split = parse_in_pieces(boundary, body, {cut});
    ASSERT_EQ(split.contents, whole.contents) << "split at " << cut;
    ASSERT_EQ(split.ends, 2) << "split at " << cut;
  }
}

TEST(multipart_parser, skips_a_preamble_and_ignores_the_epilogue) {
  const std::string body = "preamble text\r\n" + form_body("q", "p", "c") + "epilogue";
  const auto h = parse_in_pieces("q", body, {});
  ASSERT_EQ(h.contents.size(), 2u);
  EXPECT_EQ(h.contents[1], "c");
}

TEST(multipart_parser, accepts_an_empty_file_part) {
  const auto h = parse_in_pieces("q", form_body("q", "p", ""), {});
  ASSERT_EQ(h.contents.size(), 2u);
  EXPECT_EQ(h.contents[1], "");
  EXPECT_EQ(h.ends, 2);
}

TEST(multipart_parser, reports_a_missing_closing_boundary) {
  multipart_parser parser("q");
  recording_handler h;
  ASSERT_TRUE(parser.feed("--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxx", h));
  const auto done = parser.finish();
  ASSERT_FALSE(done.has_value());
  EXPECT_NE(done.error().find("missing closing boundary"), std::string::npos);
}

TEST(multipart_parser, rejects_a_part_without_content_disposition) {
  multipart_parser parser("q");
  recording_handler h;
  const auto r = parser.feed("--q\r\nContent-Type: text/plain\r\n\r\nx\r\n--q--", h);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("Content-Disposition"), std::string::npos);
}

TEST(multipart_parser, rejects_part_headers_over_the_cap) {
  multipart_parser parser("q", 64);
  recording_handler h;
  const auto r = parser.feed("--q\r\nContent-Disposition: form-data; name=\"" +
                                 std::string(100, 'n') + "\"\r\n\r\nx\r\n--q--",
                             h);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("too large"), std::string::npos);
}

RC_GTEST_PROP(multipart_parser, parses_any_content_split_anywhere_like_whole,
              (const std::string& content, const std::vector<std::size_t>& raw_cuts)) {
  const std::string boundary = "rc-boundary";
  const std::string body = form_body(boundary, "file-extract", content);
  std::vector<std::size_t> cuts;
  for (auto c : raw_cuts)
    cuts.push_back(c % (body.size() + 1));
  std::sort(cuts.begin(), cuts.end());
  const auto h = parse_in_pieces(boundary, body, cuts);
  RC_ASSERT(h.contents.size() == 2u);
  RC_ASSERT(h.contents[1] == content);
}

}  // namespace
}  // namespace rollproof::mock
