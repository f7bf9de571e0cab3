#include "rollproof/common/sha256.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace rollproof {

struct sha256::state {
  EVP_MD_CTX* ctx = nullptr;
  ~state() { EVP_MD_CTX_free(ctx); }
};

sha256::sha256() : state_(std::make_unique<state>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (state_->ctx == nullptr || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256: EVP_DigestInit_ex failed");
}

sha256::~sha256() = default;
sha256::sha256(sha256&&) noexcept = default;
sha256& sha256::operator=(sha256&&) noexcept = default;

void sha256::update(std::span<const std::byte> bytes) {
  if (!bytes.empty()) EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size());
}

void sha256::update(std::string_view text) { update(std::as_bytes(std::span(text))); }

std::string sha256::finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->ctx, digest, &length);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(length * 2, '0');
  for (unsigned i = 0; i < length; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 0x0f];
  }
  return out;
}

std::string sha256_hex(std::string_view text) {
  sha256 h;
  h.update(text);
  return h.finish();
}

std::expected<std::string, std::string> sha256_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return std::unexpected(path.string() + ": " + std::strerror(errno));
  sha256 h;
  std::vector<std::byte> block(1 << 20);
  std::size_t n = 0;
  while ((n = std::fread(block.data(), 1, block.size(), f)) > 0) h.update(std::span(block.data(), n));
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return std::unexpected(path.string() + ": read error");
  return h.finish();
}

}  // namespace rollproof
