#include <boost/json.hpp>

#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {

boost::json::value to_json(const claim_spec& spec) {
  return boost::json::object{{"id", spec.id}};
}

std::expected<claim_spec, std::string> claim_from_json(const boost::json::value& v) {
  claim_spec spec;
  if (!v.is_object()) return std::unexpected("claim spec is not an object");
  if (auto* id = v.as_object().if_contains("id"); id && id->is_string())
    spec.id = std::string(id->as_string());
  return spec;
}

}  // namespace rollproof::claims
