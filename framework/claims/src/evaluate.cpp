#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {

std::string describe_expected(const claim_spec&) {
  return {};
}

rollproof::reports::claim_record evaluate(const claim_spec& spec,
                                          std::span<const rollproof::reports::case_record>,
                                          std::uint64_t seed) {
  rollproof::reports::claim_record r;
  r.id = spec.id;
  r.result = rollproof::reports::verdict::error;
  r.reason = "not implemented yet";
  r.seed = seed;
  return r;
}

}  // namespace rollproof::claims
