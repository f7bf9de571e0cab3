#pragma once
// Incremental SHA-256 over OpenSSL's EVP interface.

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace rollproof {

// Hashes data fed in pieces; finish() returns the lowercase hex digest and resets nothing.
class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(sha256&&) noexcept;
  sha256& operator=(sha256&&) noexcept;
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;

  // Feeds bytes; may be called any number of times before finish().
  void update(std::span<const std::byte> bytes);
  // Feeds the bytes of a string.
  void update(std::string_view text);
  // Ends the hash and returns 64 lowercase hex digits; the object is unusable afterwards.
  [[nodiscard]] std::string finish();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

// SHA-256 of a whole string, as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view text);

// SHA-256 of a file read in 1 MiB blocks, or the OS error message.
[[nodiscard]] std::expected<std::string, std::string> sha256_file(const std::filesystem::path& path);

}  // namespace rollproof
