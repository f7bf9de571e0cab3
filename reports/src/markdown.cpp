#include "rollproof/reports/markdown.hpp"

namespace rollproof::reports {

std::string render_markdown(const run_record&) {
  return {};
}

}  // namespace rollproof::reports
