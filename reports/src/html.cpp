#include "rollproof/reports/html.hpp"

namespace rollproof::reports {

std::string render_html(const run_record&) {
  return {};
}

}  // namespace rollproof::reports
