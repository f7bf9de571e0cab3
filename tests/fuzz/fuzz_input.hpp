#pragma once
// Structured fuzz input: the bytes libFuzzer mutates, read as choices (which hostile value, how
// many, whether a key is present), so every input builds a syntactically valid document and the
// fuzzer spends its time on meaning. Exhausted input reads as zeros: the first choice of each.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

namespace rollproof::fuzzing {

// A cursor over the fuzzer's bytes.
class fuzz_input {
 public:
  // Reads `data[0..size)`, which must outlive the cursor.
  fuzz_input(const std::uint8_t* data, std::size_t size) : data_(data), left_(size) {}

  // The next byte, 0 once the input is used up.
  std::uint8_t byte() {
    if (left_ == 0) return 0;
    --left_;
    return *data_++;
  }

  // True with probability about 1/2 (the next byte's low bit).
  bool flag() { return (byte() & 1) != 0; }

  // A number in [0, n) for n >= 1, from one byte (two when n > 256).
  std::size_t below(std::size_t n) {
    const std::size_t raw = n > 256 ? (std::size_t{byte()} << 8 | byte()) : byte();
    return raw % n;
  }

  // One element of `choices` (a non-empty array or span).
  template <class Choices>
  const auto& pick(const Choices& choices) {
    return choices[below(std::size(choices))];
  }

  // Up to `max` raw bytes of the input itself (a length byte, then the bytes).
  std::string text(std::size_t max) {
    std::size_t n = below(max + 1);
    if (n > left_) n = left_;
    std::string out(reinterpret_cast<const char*>(data_), n);
    data_ += n;
    left_ -= n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t left_;
};

}  // namespace rollproof::fuzzing
