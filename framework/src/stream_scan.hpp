#pragma once
// Finds any of a set of strings in a byte stream that arrives in chunks of any size, keeping only
// the last (longest string - 1) bytes between chunks: a match across a chunk boundary is found,
// and the stream itself is never kept.

#include <string>
#include <string_view>
#include <vector>

namespace rollproof::framework::detail {

// A streaming search for `needles` (empty needles are ignored).
class stream_scan {
 public:
  explicit stream_scan(std::vector<std::string> needles = {});
  // Scans `chunk` as the continuation of every chunk fed before; true once any needle was seen.
  bool feed(std::string_view chunk);
  // True when any needle has appeared in the bytes fed so far.
  [[nodiscard]] bool found() const { return found_; }

 private:
  std::vector<std::string> needles_;
  std::size_t keep_ = 0;  // bytes of the stream's end kept for a match across chunks
  std::string carry_;
  bool found_ = false;
};

}  // namespace rollproof::framework::detail
