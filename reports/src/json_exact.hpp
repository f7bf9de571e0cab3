#pragma once
// JSON parsing that keeps every double exactly as written.

#include <boost/json.hpp>
#include <string_view>

namespace rollproof::reports::detail {

// boost::json::parse, then every floating-point number re-read with std::from_chars: Boost 1.81's
// parser may be off by an ulp, which would make evidence read back differ from what was written.
boost::json::value parse_json_exact(std::string_view text, boost::system::error_code& ec);

}  // namespace rollproof::reports::detail
