#include "response_wire.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

namespace rollproof::mock {

namespace beast = boost::beast;
namespace http = beast::http;

reply status_fault_reply(const fault_action& a, reply shaped) {
  reply r = a.body ? reply{a.status, *a.body, "application/json", {}} : std::move(shaped);
  r.status = a.status;
  for (const auto& h : a.headers)
    r.headers.push_back(h);
  return r;
}

std::string response_wire(reply r,
                          const std::optional<std::pair<std::string_view, std::string>>& request_id,
                          bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
  res.set(http::field::server, "rollproof-mock");
  if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
  if (request_id)
    res.set(beast::string_view(request_id->first.data(), request_id->first.size()),
            request_id->second);
  for (const auto& [name, value] : r.headers)
    res.set(name, value);
  // Rules cannot give these a body; nothing else may make Beast's prepare_payload throw either.
  if (status_has_no_body(r.status)) r.body.clear();
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  // No Content-Length on a 1xx or 204 (RFC 9110 8.6), nor on a 304, whose length would have to
  // be the representation's: these end at their header, which every client knows.
  if (!status_has_no_body(r.status)) res.prepare_payload();
  std::ostringstream out;
  out << res;
  return out.str();
}

}  // namespace rollproof::mock
