#include "stream_scan.hpp"

#include <algorithm>

namespace rollproof::framework::detail {

stream_scan::stream_scan(std::vector<std::string> needles) {
  for (auto& n : needles) {
    if (n.empty()) continue;
    keep_ = std::max(keep_, n.size() - 1);
    needles_.push_back(std::move(n));
  }
}

bool stream_scan::feed(std::string_view chunk) {
  if (found_ || needles_.empty() || chunk.empty()) return found_;
  // Only the carried bytes and the chunk's first keep_ bytes can hold a match that neither the
  // previous window nor the chunk alone holds; searching carry + chunk covers both at once.
  std::string window;
  window.reserve(carry_.size() + chunk.size());
  window.append(carry_).append(chunk);
  found_ = std::any_of(needles_.begin(), needles_.end(),
                       [&](const std::string& n) { return window.find(n) != std::string::npos; });
  carry_ = window.substr(window.size() - std::min(window.size(), keep_));
  return found_;
}

}  // namespace rollproof::framework::detail
