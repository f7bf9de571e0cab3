#pragma once
// The upload corpus: deterministic files per (type, size, seed), realistic per type, exact in size,
// cached by content hash so that reruns and shards reuse them.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "rollproof/framework/scenario.hpp"

namespace rollproof::framework {

// A file of the corpus on disk.
struct corpus_file {
  std::filesystem::path path;  // <dir>/<sha256>.<ext>
  std::string sha256;          // of its bytes
  std::uint64_t size = 0;
  file_type type = file_type::text;
};

// Streams the content of (type, size, seed) to `sink` in blocks of about 1 MiB; the same arguments
// always give the same bytes, exactly `size` of them.
void generate_corpus_bytes(file_type type, std::uint64_t size, std::uint64_t seed,
                           const std::function<void(std::string_view)>& sink);

// The file extension of a type ("txt", "json", "csv", "md", "py", "bin").
[[nodiscard]] const char* file_extension(file_type type);

// Files under one directory: `<dir>/<sha256>.<ext>` plus `<dir>/index/<type>-<size>-<seed>` naming
// the digest; thread-safe.
class corpus {
 public:
  // Uses (and creates on demand) `dir`; nothing is written outside it.
  explicit corpus(std::filesystem::path dir);

  // The file of (type, size, seed): reused when the index and the file agree, generated otherwise.
  [[nodiscard]] std::expected<corpus_file, std::string> get(file_type type, std::uint64_t size,
                                                            std::uint64_t seed);

  // Where the files live.
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<std::tuple<file_type, std::uint64_t, std::uint64_t>, corpus_file> known_;
};

}  // namespace rollproof::framework
