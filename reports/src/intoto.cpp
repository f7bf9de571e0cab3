#include "rollproof/reports/intoto.hpp"

namespace rollproof::reports {

std::string render_intoto(const run_record&) {
  return {};
}

}  // namespace rollproof::reports
