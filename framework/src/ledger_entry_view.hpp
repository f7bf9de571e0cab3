#pragma once
// Reading the mock's ledger entries (JSON objects the mock wrote, never trusted to be well typed).

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>

#include "json_number.hpp"

namespace rollproof::framework::detail {

// A count from a ledger or metrics field: 0 when missing, not a number or negative; fractions are
// rounded to the nearest integer.
inline std::uint64_t count_of(const boost::json::value* v) {
  if (v == nullptr || !v->is_number()) return 0;
  const double d = v->to_number<double>();
  return d <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(d));
}

// True for an upload attempt (POST .../files); the ledger also records admin and read requests.
inline bool is_upload_attempt(const boost::json::object& e) {
  return text_of(e, "method") == "POST" && text_of(e, "path").ends_with("/files");
}

}  // namespace rollproof::framework::detail
