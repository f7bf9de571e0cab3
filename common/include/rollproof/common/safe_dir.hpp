#pragma once
// Writing inside one directory through its descriptor, so that no symbolic link planted in it (or
// in its place) is ever followed: every file is created O_EXCL|O_NOFOLLOW under an unpredictable
// name and renamed into place, and a rename replaces a planted link instead of writing through it.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rollproof {

// A file created by safe_dir::create_temp: open for writing, not yet in place.
struct temp_file {
  int fd = -1;       // owned by the caller, who closes it
  std::string name;  // relative to the directory it was created in
};

// An open directory that every write of this program goes through.
class safe_dir {
 public:
  // Opens `path` (with `create`, creating it and its parents when missing, mode 0755); refuses a
  // `path` whose last component is a symbolic link, or that is no directory, naming the path.
  [[nodiscard]] static std::expected<safe_dir, std::string> open(const std::filesystem::path& path,
                                                                 bool create);

  // Opens the subdirectory `name` (one component), creating it when missing; refuses a link.
  [[nodiscard]] std::expected<safe_dir, std::string> open_child(std::string_view name) const;

  safe_dir(safe_dir&& other) noexcept;
  safe_dir& operator=(safe_dir&& other) noexcept;
  safe_dir(const safe_dir&) = delete;
  safe_dir& operator=(const safe_dir&) = delete;
  ~safe_dir();

  // Creates a new empty file `<prefix><32 random hex digits>` (mode 0644, O_EXCL|O_NOFOLLOW).
  [[nodiscard]] std::expected<temp_file, std::string> create_temp(std::string_view prefix) const;

  // Writes `content` to a new temporary file and fsyncs it; returns its name. On failure nothing
  // is left behind and the error names `for_name` (the file the content is meant for).
  [[nodiscard]] std::expected<std::string, std::string> write_temp(std::string_view for_name,
                                                                   std::string_view content) const;

  // Renames `from` to `to` inside this directory; a link or file at `to` is replaced, not followed.
  [[nodiscard]] std::expected<void, std::string> rename(const std::string& from,
                                                        const std::string& to) const;

  // Removes the entry `name` (a link itself, never its target); true when it existed.
  bool remove(const std::string& name) const;

  // The contents of the regular file `name` (one component), at most `max_bytes` of them; opened
  // O_NOFOLLOW|O_NONBLOCK, so a link, FIFO or device there is an error naming it, never read.
  [[nodiscard]] std::expected<std::string, std::string> read(const std::string& name,
                                                             std::size_t max_bytes) const;

  // The size of `name` when it is a regular file (links are not followed); else nullopt.
  [[nodiscard]] std::optional<std::uint64_t> regular_file_size(const std::string& name) const;

  // True when an entry `name` exists (links are not followed).
  [[nodiscard]] bool contains(const std::string& name) const;

  // Flushes the directory's entries (renames, removals) to disk.
  [[nodiscard]] std::expected<void, std::string> sync() const;

  // The path this directory was opened by (for messages).
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  safe_dir(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;
};

// 32 hex digits (128 bits) from the operating system's random source (getrandom).
[[nodiscard]] std::string random_hex_128();

// Writes all of `content` to `fd`, retrying short writes and EINTR; returns errno on failure.
[[nodiscard]] int write_all(int fd, std::string_view content);

}  // namespace rollproof
