#pragma once
// The files a mock provider holds: metadata always, text up to a cap, bytes as --store says.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollproof::mock {

// What --store keeps of an upload's bytes: nothing, all in memory, or one file per id in a folder.
enum class store_mode { none, memory, directory };

// One uploaded file.
struct stored_file {
  std::string id;
  std::string filename;
  std::string purpose;
  std::uint64_t bytes = 0;
  std::int64_t created_at = 0;     // Unix seconds
  std::int64_t created_at_ms = 0;  // Unix milliseconds, the same instant as created_at
  std::uint64_t order = 0;         // upload order, breaks created_at ties
  std::string sha256;
  std::string content_type;                   // of the multipart part, may be empty
  bool is_text = false;                       // no NUL byte and the kept text is valid UTF-8
  std::string text;                           // the first text-cap bytes when is_text
  std::optional<std::string> data;            // all bytes, with --store memory
  std::optional<std::filesystem::path> path;  // the bytes on disk, with --store DIR
};

// The media type of `f`: its part's Content-Type unless generic, else guessed from the extension.
[[nodiscard]] std::string media_type_of(const stored_file& f);

// Thread-safe map of id to file, in upload order.
class file_store {
 public:
  // Adds `f` (its order is assigned here) and returns it.
  std::shared_ptr<const stored_file> add(stored_file f);
  // The file with `id`, or nullptr.
  [[nodiscard]] std::shared_ptr<const stored_file> get(std::string_view id) const;
  // Removes the file (and its bytes on disk); false when there was none.
  bool remove(std::string_view id);
  // Every file in upload order.
  [[nodiscard]] std::vector<std::shared_ptr<const stored_file>> list() const;
  // How many files are held, optionally only those of `purpose`.
  [[nodiscard]] std::size_t count(std::optional<std::string_view> purpose = std::nullopt) const;
  // Removes every file.
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const stored_file>> files_;
  std::uint64_t next_order_ = 0;
};

}  // namespace rollproof::mock
