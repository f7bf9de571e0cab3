#include "rollproof/reports/writers.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "command.hpp"
#include "rollproof/reports/evidence_json.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

const char* const report_files[] = {"junit.xml", "evidence.json", "evidence.intoto.json",
                                    "summary.md", "report.html"};

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(write_reports, writes_every_report_into_a_new_folder) {
  testing::temp_dir dir;
  const auto out = dir.path() / "out" / "nested";
  ASSERT_TRUE(write_reports(testing::sample_run(), out, testing::sample_secrets()));
  for (const char* name : report_files) {
    EXPECT_TRUE(std::filesystem::is_regular_file(out / name)) << name;
    EXPECT_GT(std::filesystem::file_size(out / name), 100u) << name;
  }
}

TEST(write_reports, leaks_no_secret_into_any_report) {
  testing::temp_dir dir;
  const run_record run = testing::sample_run();
  // The secret is planted in the command line and in a subject's stderr tail.
  ASSERT_NE(render_evidence_json(run).find(testing::planted_secret), std::string::npos);
  ASSERT_TRUE(write_reports(run, dir.path(), testing::sample_secrets()));
  for (const char* name : report_files) {
    const std::string text = read_text(dir.path() / name);
    EXPECT_EQ(text.find(testing::planted_secret), std::string::npos) << name;
    EXPECT_NE(text.find("[REDACTED]"), std::string::npos) << name;
  }
}

TEST(write_reports, says_which_folder_it_could_not_create) {
  testing::temp_dir dir;
  testing::write_text(dir.path() / "file", "x");
  const auto r =
      write_reports(testing::sample_run(), dir.path() / "file" / "out", testing::sample_secrets());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("file/out"), std::string::npos) << r.error();
}

TEST(read_evidence, reads_back_what_write_reports_wrote) {
  testing::temp_dir dir;
  const run_record run = redacted(testing::sample_run(), testing::sample_secrets());
  ASSERT_TRUE(write_reports(run, dir.path(), testing::sample_secrets()));
  const auto back = read_evidence(dir.path() / "evidence.json");
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(render_evidence_json(*back), render_evidence_json(run));
}

TEST(read_evidence, names_the_file_when_it_is_missing_or_not_json) {
  testing::temp_dir dir;
  const auto missing = read_evidence(dir.path() / "nope.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope.json"), std::string::npos);
  testing::write_text(dir.path() / "bad.json", "{not json");
  const auto bad = read_evidence(dir.path() / "bad.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("bad.json: not JSON"), std::string::npos) << bad.error();
}

}  // namespace
}  // namespace rollproof::reports

namespace rollproof::reports {
namespace {

TEST(write_reports, writes_valid_reports_for_a_run_aborted_before_any_case) {
  testing::temp_dir dir;
  run_record run;
  run.aborted = true;
  run.abort_reason = "SIGTERM";
  ASSERT_TRUE(write_reports(run, dir.path(), rollproof::redactor{}));
  const auto xsd = testing::junit_xsd();
  const auto junit = testing::run_command("xmllint --noout --schema '" + xsd.string() + "' '" +
                                          (dir.path() / "junit.xml").string() + "'");
  EXPECT_EQ(junit.exit_code, 0) << junit.output;
  const auto schema = testing::source_dir() / "reports" / "evidence.schema.json";
  const auto evidence = testing::run_command(
      "python3 -c 'import json, sys, jsonschema; "
      "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate("
      "json.load(open(sys.argv[2])))' '" +
      schema.string() + "' '" + (dir.path() / "evidence.json").string() + "'");
  EXPECT_EQ(evidence.exit_code, 0) << evidence.output;
  EXPECT_NE(read_text(dir.path() / "summary.md").find("aborted (SIGTERM)"), std::string::npos);
  const auto back = read_evidence(dir.path() / "evidence.json");
  ASSERT_TRUE(back) << back.error();
  EXPECT_TRUE(back->aborted);
}

}  // namespace
}  // namespace rollproof::reports
