#include "rollproof/common/atomic_file.hpp"

#include <fmt/format.h>

#include "rollproof/common/safe_dir.hpp"

namespace rollproof {

std::expected<void, std::string> write_file_atomically(const std::filesystem::path& path,
                                                       std::string_view content) {
  auto dir = safe_dir::open(path.parent_path(), false);
  if (!dir) return std::unexpected(fmt::format("cannot write {}: {}", path.string(), dir.error()));
  const std::string name = path.filename().string();
  auto temp = dir->write_temp(name, content);
  if (!temp) return std::unexpected(temp.error());
  if (auto renamed = dir->rename(*temp, name); !renamed) {
    dir->remove(*temp);
    return renamed;
  }
  return {};
}

}  // namespace rollproof
