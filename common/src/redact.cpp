#include "rollproof/common/redact.hpp"

#include <algorithm>

namespace rollproof {

void redactor::add(std::string secret) {
  if (secret.empty()) return;
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  secrets_.push_back(std::move(secret));
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string redactor::redact(std::string_view text) const {
  std::string out(text);
  for (const auto& secret : secrets_) {
    std::size_t at = 0;
    while ((at = out.find(secret, at)) != std::string::npos) {
      out.replace(at, secret.size(), "[REDACTED]");
      at += 10;
    }
  }
  return out;
}

bool redactor::leaks(std::string_view text) const {
  return std::any_of(secrets_.begin(), secrets_.end(),
                     [&](const std::string& s) { return text.find(s) != std::string_view::npos; });
}

}  // namespace rollproof
