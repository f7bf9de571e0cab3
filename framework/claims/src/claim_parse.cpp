#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {

std::expected<claim_spec, rollproof::diagnostics> parse_claim(const toml::table& t,
                                                              std::string_view file) {
  claim_spec spec;
  if (auto id = t["id"].value<std::string>()) spec.id = *id;
  spec.where.file = std::string(file);
  return spec;
}

}  // namespace rollproof::claims
