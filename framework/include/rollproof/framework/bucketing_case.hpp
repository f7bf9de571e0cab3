#pragma once
// The bucketing-property case: the subject's `bucket` op over user ids of real shapes, checked for
// share vs percent, uniformity, monotonic expansion, stickiness across restarts, independence.

#include <cstdint>
#include <string>
#include <vector>

#include "rollproof/framework/driver.hpp"

namespace rollproof::framework {

// `count` distinct user ids of `shape` (sequential, uuid, email, prefixed, short, non_ascii); the
// same seed gives the same ids.
[[nodiscard]] std::vector<std::string> user_ids_of_shape(const std::string& shape,
                                                         std::uint32_t count, std::uint64_t seed);

// Runs the scenario's [bucketing] case against fresh subjects; every check carries its numbers.
[[nodiscard]] reports::case_record run_bucketing_case(const case_context& cx);

}  // namespace rollproof::framework
