#pragma once
// Writes a file whole or not at all: a temporary file beside it, fsync, then rename (safe_dir).

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace rollproof {

// Replaces `path` with `content` atomically; on any failure (full disk included) the old file,
// if any, is untouched, no temporary is left behind, and the error names the path and the cause.
// The folder must exist and not be a symbolic link; a link at `path` is replaced, never followed,
// and the temporary name is unpredictable (created O_EXCL|O_NOFOLLOW).
[[nodiscard]] std::expected<void, std::string> write_file_atomically(
    const std::filesystem::path& path, std::string_view content);

}  // namespace rollproof
