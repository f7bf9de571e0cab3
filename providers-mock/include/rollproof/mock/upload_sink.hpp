#pragma once
// Receives the parts of an upload: keeps `purpose` and `filename`, hashes the `file` part as it
// streams, and keeps of its bytes only what the store mode and the text cap allow.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "rollproof/common/sha256.hpp"
#include "rollproof/mock/file_store.hpp"
#include "rollproof/mock/multipart_parser.hpp"

namespace rollproof::mock {

// How an upload sink treats the file bytes.
struct sink_options {
  store_mode mode = store_mode::none;
  std::filesystem::path directory;              // with store_mode::directory
  std::size_t text_cap = 1 << 20;               // bytes of text kept for the content endpoint
  std::uint64_t max_file_bytes = UINT64_MAX;    // beyond this nothing more is kept
  std::optional<std::uint64_t> corrupt_offset;  // flip this byte before hashing and storing
};

// Bytes of a `filename` field kept: 4096 characters of up to 4 UTF-8 bytes each.
inline constexpr std::size_t filename_field_cap = 4 * 4096;

// A part_handler for one upload request.
class upload_sink final : public part_handler {
 public:
  // A sink writing nothing yet.
  explicit upload_sink(sink_options options);
  ~upload_sink() override;
  upload_sink(const upload_sink&) = delete;
  upload_sink& operator=(const upload_sink&) = delete;

  void on_part_begin(const part_header& header) override;
  void on_part_data(std::string_view bytes) override;
  void on_part_end() override;

  // The purpose field, when one was sent.
  [[nodiscard]] const std::optional<std::string>& purpose() const { return purpose_; }
  // True when a `file` part was seen.
  [[nodiscard]] bool has_file() const { return has_file_; }
  // The file part's filename, when given.
  [[nodiscard]] const std::optional<std::string>& filename() const { return filename_; }
  // The `filename` field, when one was sent; at most filename_field_cap bytes of it are kept.
  [[nodiscard]] const std::optional<std::string>& filename_field() const { return filename_field_; }
  // True when the `filename` field was longer than filename_field_cap bytes.
  [[nodiscard]] bool filename_field_truncated() const { return filename_field_truncated_; }
  // Why a filename cannot be stored as sent (not valid UTF-8, or a NUL byte in it), or nullopt.
  // Whatever the answer, filename(), filename_field(), purpose() and the content type are valid
  // UTF-8 once their part has ended (ill-formed bytes replaced by U+FFFD).
  [[nodiscard]] const std::optional<std::string>& name_problem() const { return name_problem_; }
  // Bytes of the file part seen so far.
  [[nodiscard]] std::uint64_t file_bytes() const { return bytes_; }
  // Ends hashing: the file part's SHA-256 (of the bytes as corrupted, if corrupt was asked).
  [[nodiscard]] std::string finish_hash();
  // Moves what was kept into `f` (text, data or path renamed to directory/id).
  void keep_into(stored_file& f);

 private:
  void note_name_problem(std::optional<std::string> problem);

  sink_options options_;
  std::optional<std::string> purpose_;
  std::optional<std::string> filename_;
  std::optional<std::string> filename_field_;
  bool filename_field_truncated_ = false;
  std::optional<std::string> name_problem_;
  bool in_filename_field_ = false;
  std::string content_type_;
  bool has_file_ = false;
  bool in_file_ = false;
  bool in_purpose_ = false;
  bool file_done_ = false;
  std::uint64_t bytes_ = 0;
  rollproof::sha256 hash_;
  std::optional<std::string> hash_hex_;
  bool text_ok_ = true;
  std::string text_;
  std::string data_;
  std::FILE* out_ = nullptr;
  std::filesystem::path temp_path_;
};

}  // namespace rollproof::mock
