#include "rollproof/framework/corpus.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "rollproof/common/atomic_file.hpp"
#include "rollproof/common/safe_dir.hpp"
#include "rollproof/common/sha256.hpp"

namespace rollproof::framework {

corpus::corpus(std::filesystem::path dir, const std::atomic<int>* stop)
    : dir_(std::move(dir)), stop_(stop) {}

std::expected<corpus_file, std::string> corpus::get(file_type type, std::uint64_t size,
                                                    std::uint64_t seed) {
  const std::lock_guard lock(mutex_);
  const auto key = std::make_tuple(type, size, seed);
  if (auto it = known_.find(key); it != known_.end()) return it->second;

  // The cache and its index are opened without following links (safe_dir), so a link planted in
  // their place makes generation fail instead of writing elsewhere.
  auto cache = safe_dir::open(dir_, true);
  if (!cache) return std::unexpected(cache.error());
  auto index_dir = cache->open_child("index");
  if (!index_dir) return std::unexpected(index_dir.error());
  const std::string entry = fmt::format("{}-{}-{}", to_string(type), size, seed);
  const auto index = dir_ / "index" / entry;
  std::error_code ec;

  corpus_file file{{}, {}, size, type};
  // Read through the same descriptors, O_NOFOLLOW: a link planted at the index entry or at the
  // cached file is never read or served; the file is made again and replaces it.
  if (const auto text = index_dir->read(entry, 128)) {
    const std::string digest = text->substr(0, text->find('\n'));
    const std::string name = fmt::format("{}.{}", digest, file_extension(type));
    const bool hex = digest.size() == 64 && digest.find_first_not_of("0123456789abcdef") ==
                                                std::string::npos;  // no '/' or '..' in a name
    if (hex && cache->regular_file_size(name) == size) {
      file.path = dir_ / name;
      file.sha256 = digest;
      known_[key] = file;
      return file;
    }
  }

  // Generate under an unpredictable temporary name (O_EXCL|O_NOFOLLOW under the cache's
  // descriptor, so no planted link is followed) and rename to the digest, so a half-written file
  // is never mistaken for a cached one.
  auto created = cache->create_temp(fmt::format(".tmp-{}-{}-{}.", to_string(type), size, seed));
  if (!created) return std::unexpected(created.error());
  const auto temp = dir_ / created->name;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(::fdopen(created->fd, "wb"), &std::fclose);
  if (!out) {
    const int error = errno;
    ::close(created->fd);
    cache->remove(created->name);
    return std::unexpected(fmt::format("cannot write {}: {}", temp.string(), std::strerror(error)));
  }
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
  if (auto renamed = cache->rename(created->name, file.path.filename().string()); !renamed) {
    cache->remove(created->name);
    return std::unexpected(renamed.error());
  }
  if (auto written = write_file_atomically(index, file.sha256 + "\n"); !written) {
    return std::unexpected(written.error());
  }
  known_[key] = file;
  return file;
}

}  // namespace rollproof::framework
