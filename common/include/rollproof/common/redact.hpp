#pragma once
// Keeps secrets (API keys) out of every output: logs, reports, JUnit, terminal.

#include <string>
#include <string_view>
#include <vector>

namespace rollproof {

// A set of secret strings; redact() replaces each occurrence with "[REDACTED]".
class redactor {
 public:
  // Adds a secret; empty strings are ignored.
  void add(std::string secret);
  // Returns `text` with every known secret replaced by "[REDACTED]".
  [[nodiscard]] std::string redact(std::string_view text) const;
  // True when `text` contains any known secret.
  [[nodiscard]] bool leaks(std::string_view text) const;
  // The secrets, for scanning outputs.
  [[nodiscard]] const std::vector<std::string>& secrets() const { return secrets_; }

 private:
  std::vector<std::string> secrets_;
};

}  // namespace rollproof
