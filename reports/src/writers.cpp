#include "rollproof/reports/writers.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "json_exact.hpp"
#include "rollproof/common/atomic_file.hpp"
#include "rollproof/reports/evidence_json.hpp"
#include "rollproof/reports/html.hpp"
#include "rollproof/reports/intoto.hpp"
#include "rollproof/reports/junit.hpp"
#include "rollproof/reports/markdown.hpp"

namespace rollproof::reports {

std::expected<void, std::string> write_reports(const run_record& run,
                                               const std::filesystem::path& out_dir,
                                               const rollproof::redactor& secrets) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return std::unexpected(out_dir.string() + ": " + ec.message());
  // Redact the record first (so escaping cannot split a secret), and every rendered file again.
  const run_record clean = redacted(run, secrets);
  const std::pair<const char*, std::string> files[] = {
      {"junit.xml", render_junit(clean)},
      {"evidence.json", render_evidence_json(clean)},
      {"evidence.intoto.json", render_intoto(clean)},
      {"summary.md", render_markdown(clean)},
      {"report.html", render_html(clean)},
  };
  for (const auto& [name, content] : files) {
    auto written = rollproof::write_file_atomically(out_dir / name, secrets.redact(content));
    if (!written) return written;
  }
  return {};
}

std::expected<run_record, std::string> read_evidence(const std::filesystem::path& evidence_json) {
  std::ifstream in(evidence_json, std::ios::binary);
  if (!in) return std::unexpected(evidence_json.string() + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const boost::json::value v = detail::parse_json_exact(text.str(), ec);
  if (ec) return std::unexpected(evidence_json.string() + ": not JSON: " + ec.message());
  auto run = run_from_json(v);
  if (!run) return std::unexpected(evidence_json.string() + ": " + run.error());
  return run;
}

}  // namespace rollproof::reports
