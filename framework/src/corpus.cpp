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

corpus::corpus(std::filesystem::path dir) : dir_(std::move(dir)) {}

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
  bool write_failed = false;
  generate_corpus_bytes(type, size, seed, [&](std::string_view block) {
    hash.update(block);
    if (!write_failed && std::fwrite(block.data(), 1, block.size(), out.get()) != block.size())
      write_failed = true;
  });
  if (std::fclose(out.release()) != 0 || write_failed) {
    std::filesystem::remove(temp, ec);
    return std::unexpected(fmt::format("cannot write {}: {}", temp.string(), std::strerror(errno)));
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
