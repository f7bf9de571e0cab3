#pragma once
// The in-toto Statement v1 binding the evidence to the git commit and the scenario files, ready to
// sign (e.g. `cosign attest-blob --predicate`-free: the statement itself is the payload).

#include <string>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

// The predicate type of rollproof's statements.
inline constexpr const char* evidence_predicate_type = "https://rollproof.dev/evidence/v1";

// The statement as pretty-printed JSON: _type Statement/v1, subjects git-commit (gitCommit digest,
// omitted when no commit is known) and each scenario file (sha256), predicate = the evidence.
[[nodiscard]] std::string render_intoto(const run_record& run);

}  // namespace rollproof::reports
