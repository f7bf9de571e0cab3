#include "rollproof/common/safe_dir.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace rollproof {
namespace {

std::unexpected<std::string> failure(const std::filesystem::path& path, std::string_view what,
                                     int error) {
  return std::unexpected(fmt::format("{}: {}: {}", path.string(), what, std::strerror(error)));
}

// Opens `name` under `at` as a directory, never through a link; creates it when missing.
std::expected<int, std::string> open_directory(int at, const std::filesystem::path& name,
                                               const std::filesystem::path& shown, bool create) {
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::openat(at, name.c_str(), flags);
  if (fd < 0 && errno == ENOENT && create) {
    if (::mkdirat(at, name.c_str(), 0755) != 0 && errno != EEXIST)
      return failure(shown, "cannot create the directory", errno);
    fd = ::openat(at, name.c_str(), flags);
  }
  if (fd >= 0) return fd;
  const int error = errno;
  struct stat st {};
  if (::fstatat(at, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
    return std::unexpected(fmt::format(
        "{}: is a symbolic link; rollproof does not write through one (give the real directory)",
        shown.string()));
  return failure(shown, "cannot open the directory", error);
}

}  // namespace

std::string random_hex_128() {
  std::array<unsigned char, 16> bytes{};
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) std::abort();  // no kernel randomness: nothing unpredictable can be made
    got += static_cast<std::size_t>(n);
  }
  std::string hex;
  for (const unsigned char b : bytes)
    hex += fmt::format("{:02x}", b);
  return hex;
}

int write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

std::expected<safe_dir, std::string> safe_dir::open(const std::filesystem::path& path,
                                                    bool create) {
  std::filesystem::path target = path.empty() ? "." : path.lexically_normal();
  if (target.filename().empty() && target != target.root_path()) target = target.parent_path();
  std::filesystem::path parent = target.parent_path();
  std::filesystem::path leaf = target.filename();
  if (leaf.empty() || leaf == "." || leaf == "..") {  // "/", ".", "..": open as given
    parent.clear();
    leaf = target;
  }
  if (!parent.empty() && create) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec)
      return std::unexpected(fmt::format("{}: cannot create: {}", path.string(), ec.message()));
  }
  const int at =
      parent.empty() ? AT_FDCWD : ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (at < 0 && at != AT_FDCWD) return failure(path, "cannot open the parent directory", errno);
  auto fd = open_directory(at, leaf, path, create);
  if (at != AT_FDCWD) ::close(at);
  if (!fd) return std::unexpected(fd.error());
  return safe_dir(*fd, path);
}

std::expected<safe_dir, std::string> safe_dir::open_child(std::string_view name) const {
  const std::filesystem::path shown = path_ / name;
  auto fd = open_directory(fd_, std::string(name), shown, true);
  if (!fd) return std::unexpected(fd.error());
  return safe_dir(*fd, shown);
}

safe_dir::safe_dir(safe_dir&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

safe_dir& safe_dir::operator=(safe_dir&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

safe_dir::~safe_dir() {
  if (fd_ >= 0) ::close(fd_);
}

std::expected<temp_file, std::string> safe_dir::create_temp(std::string_view prefix) const {
  for (int attempt = 0; attempt < 8; ++attempt) {
    std::string name = fmt::format("{}{}", prefix, random_hex_128());
    const int fd =
        ::openat(fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) return temp_file{fd, std::move(name)};
    if (errno != EEXIST) return failure(path_ / name, "cannot create a temporary file", errno);
  }
  return failure(path_, "cannot create a temporary file", EEXIST);
}

std::expected<std::string, std::string> safe_dir::write_temp(std::string_view for_name,
                                                             std::string_view content) const {
  auto temp = create_temp(fmt::format(".{}.tmp.", for_name));
  if (!temp) return std::unexpected(temp.error());
  int error = write_all(temp->fd, content);
  const char* what = "write failed";
  // A full disk may only show at fsync or close; both are checked before the file counts.
  if (error == 0 && ::fsync(temp->fd) != 0) error = errno, what = "flush failed";
  if (::close(temp->fd) != 0 && error == 0) error = errno, what = "flush failed";
  if (error == 0) return temp->name;
  remove(temp->name);
  return failure(path_ / for_name, what, error);
}

std::expected<std::string, std::string> safe_dir::read(const std::string& name,
                                                       std::size_t max_bytes) const {
  const int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ELOOP)
      return std::unexpected(fmt::format(
          "{}: is a symbolic link; rollproof does not read through one", (path_ / name).string()));
    return failure(path_ / name, "cannot open", error);
  }
  struct stat st {};
  std::string out;
  int error = 0;
  if (::fstat(fd, &st) != 0) {
    error = errno;
  } else if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::unexpected(fmt::format("{}: not a regular file", (path_ / name).string()));
  } else {
    std::array<char, 4096> buffer{};
    while (out.size() < max_bytes) {
      const ssize_t n =
          ::read(fd, buffer.data(), std::min<std::size_t>(buffer.size(), max_bytes - out.size()));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error = errno;
      if (n <= 0) break;
      out.append(buffer.data(), static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  if (error != 0) return failure(path_ / name, "cannot read", error);
  return out;
}

std::optional<std::uint64_t> safe_dir::regular_file_size(const std::string& name) const {
  struct stat st {};
  if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
    return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

std::expected<void, std::string> safe_dir::rename(const std::string& from,
                                                  const std::string& to) const {
  if (::renameat(fd_, from.c_str(), fd_, to.c_str()) != 0)
    return failure(path_ / to, "rename failed", errno);
  return {};
}

bool safe_dir::remove(const std::string& name) const {
  return ::unlinkat(fd_, name.c_str(), 0) == 0;
}

bool safe_dir::contains(const std::string& name) const {
  struct stat st {};
  return ::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

std::expected<void, std::string> safe_dir::sync() const {
  if (::fsync(fd_) != 0) return failure(path_, "flush of the directory failed", errno);
  return {};
}

}  // namespace rollproof
