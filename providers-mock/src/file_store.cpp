#include "rollproof/mock/file_store.hpp"

#include <algorithm>

namespace rollproof::mock {

namespace {

void forget_bytes(const stored_file& f) {
  std::error_code ignored;
  if (f.path) std::filesystem::remove(*f.path, ignored);
}

}  // namespace

std::string media_type_of(const stored_file& f) {
  if (!f.content_type.empty() && f.content_type != "application/octet-stream")
    return f.content_type;
  const auto dot = f.filename.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : f.filename.substr(dot + 1);
  if (ext == "json") return "application/json";
  if (ext == "csv") return "text/csv";
  if (ext == "md") return "text/markdown";
  if (ext == "pdf") return "application/pdf";
  if (f.is_text) return "text/plain";
  return "application/octet-stream";
}

std::shared_ptr<const stored_file> file_store::add(stored_file f) {
  const std::lock_guard lock(mutex_);
  f.order = ++next_order_;
  auto p = std::make_shared<const stored_file>(std::move(f));
  files_.push_back(p);
  return p;
}

std::shared_ptr<const stored_file> file_store::get(std::string_view id) const {
  const std::lock_guard lock(mutex_);
  for (const auto& f : files_)
    if (f->id == id) return f;
  return nullptr;
}

bool file_store::remove(std::string_view id) {
  const std::lock_guard lock(mutex_);
  const auto it =
      std::find_if(files_.begin(), files_.end(), [&](const auto& f) { return f->id == id; });
  if (it == files_.end()) return false;
  forget_bytes(**it);
  files_.erase(it);
  return true;
}

std::vector<std::shared_ptr<const stored_file>> file_store::list() const {
  const std::lock_guard lock(mutex_);
  return files_;
}

std::size_t file_store::count(std::optional<std::string_view> purpose) const {
  const std::lock_guard lock(mutex_);
  if (!purpose) return files_.size();
  return static_cast<std::size_t>(std::count_if(
      files_.begin(), files_.end(), [&](const auto& f) { return f->purpose == *purpose; }));
}

void file_store::clear() {
  const std::lock_guard lock(mutex_);
  for (const auto& f : files_)
    forget_bytes(*f);
  files_.clear();
}

}  // namespace rollproof::mock
