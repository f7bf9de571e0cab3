// Golden files for each report format. Run the binary with --bless to rewrite
// tests/golden/expected/ after an intended change, then review the diff like code.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "command.hpp"
#include "rollproof/reports/evidence_json.hpp"
#include "rollproof/reports/html.hpp"
#include "rollproof/reports/intoto.hpp"
#include "rollproof/reports/junit.hpp"
#include "rollproof/reports/markdown.hpp"
#include "rollproof/reports/writers.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

bool bless = false;

std::filesystem::path expected_dir() {
  return testing::source_dir() / "tests" / "golden" / "expected";
}

// Replaces every occurrence of `from` by `to`.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size()))
    text.replace(p, from.size(), to);
  return text;
}

// Run times and the host vary between real runs; the goldens hold placeholders instead.
std::string normalised(std::string text) {
  text = replace_all(std::move(text), testing::run_started, "@START@");
  text = replace_all(std::move(text), testing::run_finished, "@END@");
  return replace_all(std::move(text), testing::run_host, "@HOST@");
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compares `actual` with the golden file `name`, or rewrites it under --bless.
void matches_golden(const std::string& name, const std::string& actual) {
  const auto path = expected_dir() / name;
  const std::string text = normalised(actual);
  if (bless) {
    std::filesystem::create_directories(expected_dir());
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing; run with --bless";
  const std::string expected = read_text(path);
  if (expected == text) return;
  // Point at the first differing line, which is what a reviewer needs.
  std::istringstream a(expected), b(text);
  std::string la, lb;
  int line = 1;
  while (std::getline(a, la) && std::getline(b, lb) && la == lb)
    ++line;
  FAIL() << name << " differs from " << path << " at line " << line << "\nexpected: " << la
         << "\nactual:   " << lb << "\n(run report_golden_tests --bless if the change is intended)";
}

// The sample as the writers see it: redacted first, as write_reports does.
run_record golden_run() {
  return redacted(testing::sample_run(), testing::sample_secrets());
}

TEST(golden, junit_xml) {
  matches_golden("junit.xml", render_junit(golden_run()));
}

TEST(golden, evidence_json) {
  matches_golden("evidence.json", render_evidence_json(golden_run()));
}

TEST(golden, intoto_statement) {
  matches_golden("evidence.intoto.json", render_intoto(golden_run()));
}

TEST(golden, summary_markdown) {
  matches_golden("summary.md", render_markdown(golden_run()));
}

TEST(golden, report_html) {
  matches_golden("report.html", render_html(golden_run()));
}

TEST(golden, files_written_by_write_reports_equal_the_goldens) {
  if (bless) GTEST_SKIP() << "blessing";
  testing::temp_dir dir;
  ASSERT_TRUE(write_reports(testing::sample_run(), dir.path(), testing::sample_secrets()));
  for (const char* name :
       {"junit.xml", "evidence.json", "evidence.intoto.json", "summary.md", "report.html"})
    EXPECT_EQ(normalised(read_text(dir.path() / name)), read_text(expected_dir() / name)) << name;
}

TEST(golden, expected_files_hold_no_secret_and_no_control_character) {
  if (bless) GTEST_SKIP() << "blessing";
  for (const char* name :
       {"junit.xml", "evidence.json", "evidence.intoto.json", "summary.md", "report.html"}) {
    const std::string text = read_text(expected_dir() / name);
    EXPECT_EQ(text.find(testing::planted_secret), std::string::npos) << name;
    EXPECT_FALSE(testing::has_control_characters(text)) << name;
  }
}

TEST(golden, junit_golden_validates_against_the_xsd) {
  if (bless) GTEST_SKIP() << "blessing";
  const auto xsd = testing::junit_xsd();
  const auto r = testing::run_command("xmllint --noout --schema '" + xsd.string() + "' '" +
                                      (expected_dir() / "junit.xml").string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace rollproof::reports

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--bless") rollproof::reports::bless = true;
  return RUN_ALL_TESTS();
}
