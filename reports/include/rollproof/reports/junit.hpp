#pragma once
// JUnit XML (valid against the Jenkins xUnit junit-10.xsd): a testsuite per scenario, a testcase
// per case and per claim. Verdict mapping: verified -> pass, refuted -> <failure>, error ->
// <error>, inconclusive -> <skipped> with the message (a CI gate that wants inconclusive to fail
// uses the runner's `--fail-on inconclusive` exit code), unverifiable -> <skipped> with the reason.
// The subject's stderr (<system-err>) is kept for failed and errored cases only; it and the
// checks' text are bounded to their last junit_output_bytes, after a marker naming what was cut.

#include <cstddef>
#include <string>
#include <string_view>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

// The most bytes of a case's <system-err> (its tail) and of its checks' text in JUnit.
inline constexpr std::size_t junit_output_bytes = 4096;

// The JUnit XML document of the run (UTF-8, control characters replaced, times with 3 decimals).
[[nodiscard]] std::string render_junit(const run_record& run);

// `text` made safe for XML 1.0 text and attributes: escapes &<>"' and replaces control characters
// (and invalid UTF-8 bytes) with U+FFFD.
[[nodiscard]] std::string xml_escape(std::string_view text);

}  // namespace rollproof::reports
