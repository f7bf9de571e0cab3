#include "rollproof/framework/corpus.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "rollproof/common/atomic_file.hpp"
#include "rollproof/common/sha256.hpp"

namespace rollproof::framework {

corpus::corpus(std::filesystem::path dir, const std::atomic<int>* stop)
    : dir_(std::move(dir)), stop_(stop) {}

std::expected<corpus_file, std::string> corpus::get(file_type type, std::uint64_t size,
                                                    std::uint64_t seed) {
  const std::lock_guard lock(mutex_);
  const auto key = std::make_tuple(type, size, seed);
  if (auto it = known_.find(key); it != known_.end()) return it->second;

  std::error_code ec;
  std::filesystem::create_directories(dir_ / "index", ec);
  if (ec) return std::unexpected(fmt::format("cannot create {}: {}", dir_.string(), ec.message()));
  const auto index = dir_ / "index" / fmt::format("{}-{}-{}", to_string(type), size, seed);

  corpus_file file{{}, {}, size, type};
  {
    std::ifstream in(index);
    std::string digest;
    if (in >> digest && digest.size() == 64) {
      const auto path = dir_ / fmt::format("{}.{}", digest, file_extension(type));
      if (std::filesystem::file_size(path, ec) == size && !ec) {
        file.path = path;
        file.sha256 = digest;
        known_[key] = file;
        return file;
      }
    }
  }

  // Generate under a temporary name and rename to the digest, so a half-written file is never
  // mistaken for a cached one.
  const auto temp = dir_ / fmt::format(".tmp-{}-{}-{}", to_string(type), size, seed);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(temp.c_str(), "wb"), &std::fclose);
  if (!out)
    return std::unexpected(fmt::format("cannot write {}: {}", temp.string(), std::strerror(errno)));
  sha256 hash;
  int write_errno = 0;  // of the first failed write: generation stops there
  int signal = 0;
  const bool complete = generate_corpus_bytes(type, size, seed, [&](std::string_view block) {
    if (stop_ != nullptr && (signal = stop_->load()) != 0) return false;
    hash.update(block);
    if (std::fwrite(block.data(), 1, block.size(), out.get()) == block.size()) return true;
    write_errno = errno;
    return false;
  });
  if (std::fclose(out.release()) != 0 && write_errno == 0) write_errno = errno;
  if (!complete || write_errno != 0) {
    std::filesystem::remove(temp, ec);  // a partial file is never left behind
    if (signal != 0)
      return std::unexpected(
          fmt::format("corpus generation of {} stopped by signal {}", temp.string(), signal));
    return std::unexpected(
        fmt::format("cannot write {}: {}", temp.string(), std::strerror(write_errno)));
  }
  file.sha256 = hash.finish();
  file.path = dir_ / fmt::format("{}.{}", file.sha256, file_extension(type));
  std::filesystem::rename(temp, file.path, ec);
  if (ec)
    return std::unexpected(
        fmt::format("cannot rename to {}: {}", file.path.string(), ec.message()));
  if (auto written = write_file_atomically(index, file.sha256 + "\n"); !written) {
    return std::unexpected(written.error());
  }
  known_[key] = file;
  return file;
}

}  // namespace rollproof::framework
