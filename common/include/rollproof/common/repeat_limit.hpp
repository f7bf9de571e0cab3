#pragma once
// The bound on how often a scenario may repeat each cell, shared by the loader (which refuses
// more) and the claims engine (which never advises more).

#include <cstdint>

namespace rollproof {

// The largest `repeat` in [scenario] (and `--repeat`): each cell then runs that many times.
inline constexpr std::uint32_t max_repeat = 1000;

}  // namespace rollproof
