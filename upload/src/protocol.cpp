#include "rollproof/upload/protocol.hpp"

#include <boost/json.hpp>

namespace rollproof::upload {

std::expected<protocol_request, protocol_error> parse_request(std::string_view line) {
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  if (ec) return std::unexpected(protocol_error{"bad_request", "not JSON: " + ec.message()});
  if (!v.is_object()) return std::unexpected(protocol_error{"bad_request", "not a JSON object"});
  auto& obj = v.get_object();
  const auto* id = obj.if_contains("id");
  if (!id || !id->is_string())
    return std::unexpected(protocol_error{"bad_request", "missing string \"id\""});
  const auto* op = obj.if_contains("op");
  if (!op || !op->is_string())
    return std::unexpected(protocol_error{"bad_request", "missing string \"op\""});
  protocol_request request;
  request.id = std::string{id->get_string()};
  request.op = std::string{op->get_string()};
  request.body = std::move(obj);
  return request;
}

boost::json::object ok_response(std::string_view id, boost::json::object fields) {
  boost::json::object out{{"id", id}, {"ok", true}};
  for (auto& [k, v] : fields)
    out[k] = std::move(v);
  return out;
}

boost::json::object error_response(const boost::json::value& id, std::string_view code,
                                   std::string_view message) {
  return {{"id", id},
          {"ok", false},
          {"error", boost::json::object{{"code", code}, {"message", message}}}};
}

}  // namespace rollproof::upload
