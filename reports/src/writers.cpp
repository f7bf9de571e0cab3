#include "rollproof/reports/writers.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "json_exact.hpp"
#include "rollproof/common/safe_dir.hpp"
#include "rollproof/reports/evidence_json.hpp"
#include "rollproof/reports/html.hpp"
#include "rollproof/reports/intoto.hpp"
#include "rollproof/reports/junit.hpp"
#include "rollproof/reports/markdown.hpp"

namespace rollproof::reports {

namespace {

// Removes every file of the set (old or new) and every temporary written for it, so that a failed
// write leaves no set at all rather than a mixed one; returns the failure, saying so.
std::unexpected<std::string> abandon_set(const rollproof::safe_dir& dir,
                                         const std::vector<std::string>& temps,
                                         const std::string& why) {
  for (const auto& t : temps)
    dir.remove(t);
  for (const char* name : report_file_names)
    dir.remove(name);
  (void)dir.sync();
  return std::unexpected(fmt::format("{}; no report set is left in {} (a partial one was removed)",
                                     why, dir.path().string()));
}

}  // namespace

std::expected<void, std::string> write_reports(const run_record& run,
                                               const std::filesystem::path& out_dir,
                                               const rollproof::redactor& secrets) {
  auto dir = rollproof::safe_dir::open(out_dir, true);
  if (!dir) return std::unexpected(dir.error());
  // Redact the record first (so escaping cannot split a secret), and every rendered file again.
  run_record clean = redacted(run, secrets);
  if (clean.prov.run_id.empty()) clean.prov.run_id = rollproof::random_hex_128();
  const std::string contents[] = {render_junit(clean), render_evidence_json(clean),
                                  render_intoto(clean), render_markdown(clean), render_html(clean)};
  static_assert(std::size(contents) == std::size(report_file_names));
  // Every file goes to a temporary first; only when all are on disk is any renamed into place.
  std::vector<std::string> temps;
  for (std::size_t i = 0; i < std::size(contents); ++i) {
    auto temp = dir->write_temp(report_file_names[i], secrets.redact(contents[i]));
    if (!temp) return abandon_set(*dir, temps, temp.error());
    temps.push_back(*temp);
  }
  for (std::size_t i = 0; i < temps.size(); ++i) {
    if (auto renamed = dir->rename(temps[i], report_file_names[i]); !renamed)
      return abandon_set(*dir, temps, renamed.error());
  }
  if (auto synced = dir->sync(); !synced) return abandon_set(*dir, {}, synced.error());
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
