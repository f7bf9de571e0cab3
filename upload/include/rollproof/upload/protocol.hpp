#pragma once
// The subject protocol's framing: one request line in, one response object out.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <expected>
#include <string>
#include <string_view>

namespace rollproof::upload {

// A well-formed request line: `id`, `op` and the whole object for the op's own fields.
struct protocol_request {
  std::string id;
  std::string op;
  boost::json::object body;
};

// A line that could not be a request: answered with "id": null and code bad_request.
struct protocol_error {
  std::string code = "bad_request";
  std::string message;
};

// Parses one line (without its newline): a JSON object with string `id` and string `op`.
[[nodiscard]] std::expected<protocol_request, protocol_error> parse_request(std::string_view line);

// {"id": id, "ok": true} plus the fields of `fields`.
[[nodiscard]] boost::json::object ok_response(std::string_view id, boost::json::object fields = {});

// {"id": id or null, "ok": false, "error": {"code": code, "message": message}}.
[[nodiscard]] boost::json::object error_response(const boost::json::value& id,
                                                 std::string_view code, std::string_view message);

}  // namespace rollproof::upload
