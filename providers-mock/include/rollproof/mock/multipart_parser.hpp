#pragma once
// A streaming multipart/form-data parser (RFC 7578): bytes go in as they arrive, part events come
// out; only a lookbehind shorter than the boundary and one part's headers are ever buffered.

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace rollproof::mock {

// The headers of one part that matter for form data.
struct part_header {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // Content-Disposition filename, when given
  std::string content_type;             // empty when absent
};

// Receives part events in order: begin, data (any number of pieces), end.
class part_handler {
 public:
  virtual ~part_handler() = default;
  // A part's headers are complete.
  virtual void on_part_begin(const part_header& header) = 0;
  // The next bytes of the current part's content (never empty).
  virtual void on_part_data(std::string_view bytes) = 0;
  // The current part ended.
  virtual void on_part_end() = 0;
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt.
[[nodiscard]] std::optional<std::string> multipart_boundary(std::string_view content_type);

// Parses one multipart body fed in arbitrary pieces.
class multipart_parser {
 public:
  // A parser for `boundary` (without the leading "--"); part headers over the cap are an error.
  explicit multipart_parser(std::string boundary, std::size_t max_header_bytes = 16 * 1024);
  // Consumes the next bytes, calling `handler`; an error message when the body is malformed.
  std::expected<void, std::string> feed(std::string_view bytes, part_handler& handler);
  // Checks that the closing boundary was seen; an error message otherwise.
  [[nodiscard]] std::expected<void, std::string> finish() const;
  // True once the closing boundary was seen (later bytes are the ignored epilogue).
  [[nodiscard]] bool done() const { return state_ == state::epilogue; }

 private:
  enum class state { preamble, after_delimiter, headers, body, epilogue, failed };
  std::expected<void, std::string> step(part_handler& handler, bool& progressed);
  std::expected<part_header, std::string> parse_headers(std::string_view block) const;

  std::string delimiter_;  // "\r\n--" + boundary
  std::size_t max_header_bytes_;
  std::string buffer_;
  state state_ = state::preamble;
};

}  // namespace rollproof::mock
