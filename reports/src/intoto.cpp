#include "rollproof/reports/intoto.hpp"

#include <boost/json.hpp>
#include <set>

#include "rollproof/reports/evidence_json.hpp"

namespace rollproof::reports {

std::string render_intoto(const run_record& run) {
  namespace json = boost::json;
  json::array subjects;
  if (!run.prov.git.commit.empty())
    subjects.push_back(
        json::object{{"name", "git-commit"}, {"digest", {{"gitCommit", run.prov.git.commit}}}});
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& s : run.scenarios) {
    const std::string name = s.file.empty() ? s.name : s.file;
    if (s.sha256.empty() || !seen.insert({name, s.sha256}).second) continue;
    subjects.push_back(json::object{{"name", name}, {"digest", {{"sha256", s.sha256}}}});
  }
  const json::object statement{{"_type", "https://in-toto.io/Statement/v1"},
                               {"subject", subjects},
                               {"predicateType", evidence_predicate_type},
                               {"predicate", evidence_to_json(run)}};
  return pretty_json(statement);
}

}  // namespace rollproof::reports
