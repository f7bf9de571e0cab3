#include "rollproof/common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace rollproof {

namespace {

std::unexpected<std::string> failure(const std::filesystem::path& path, std::string_view what,
                                     int error) {
  return std::unexpected(fmt::format("{}: {}: {}", path.string(), what, std::strerror(error)));
}

}  // namespace

std::expected<void, std::string> write_file_atomically(const std::filesystem::path& path,
                                                       std::string_view content) {
  std::filesystem::path temp = path;
  temp += fmt::format(".tmp.{}", ::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return failure(path, "cannot create temporary file", errno);
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return failure(path, "write failed", error);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // A full disk may only show at fsync or close; both are checked before the rename.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return failure(path, "flush failed", error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return failure(path, "rename failed", error);
  }
  return {};
}

}  // namespace rollproof
