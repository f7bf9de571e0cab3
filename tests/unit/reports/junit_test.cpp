#include "rollproof/reports/junit.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "command.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

using testing::sample_run;

// The <testcase ...> element of `name`, up to its closing tag.
std::string testcase_named(const std::string& xml, const std::string& name) {
  const auto start = xml.find("name=\"" + name + "\"");
  if (start == std::string::npos) return {};
  const auto open = xml.rfind("<testcase", start);
  auto end = xml.find("</testcase>", start);
  const auto self_closed = xml.find("/>", start);
  if (end == std::string::npos || self_closed < xml.find('>', start)) end = self_closed;
  return xml.substr(open, end - open);
}

TEST(render_junit, validates_against_the_jenkins_xunit_schema) {
  testing::temp_dir dir;
  testing::write_text(dir.path() / "junit.xml", render_junit(sample_run()));
  const auto xsd = testing::junit_xsd();
  const auto r = testing::run_command("xmllint --noout --schema '" + xsd.string() + "' '" +
                                      (dir.path() / "junit.xml").string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(render_junit, maps_each_verdict_to_its_junit_outcome) {
  const std::string xml = render_junit(sample_run());
  EXPECT_NE(testcase_named(xml, "claim perf.throughput").find("<failure type=\"refuted\""),
            std::string::npos);
  EXPECT_NE(testcase_named(xml, "claim phase3.providers").find("<error type=\"claim_error\""),
            std::string::npos);
  EXPECT_NE(testcase_named(xml, "claim rollout.share-10").find("<skipped message=\"inconclusive:"),
            std::string::npos);
  EXPECT_NE(testcase_named(xml, "claim exai.approved").find("<skipped message=\"unverifiable:"),
            std::string::npos);
  const std::string verified = testcase_named(xml, "claim perf.memory");
  ASSERT_FALSE(verified.empty());
  EXPECT_EQ(verified.find("<failure"), std::string::npos);
  EXPECT_EQ(verified.find("<skipped"), std::string::npos);
  EXPECT_EQ(verified.find("<error"), std::string::npos);
}

TEST(render_junit, states_expected_and_measured_with_the_interval_in_a_failure) {
  const std::string tc = testcase_named(render_junit(sample_run()), "claim perf.throughput");
  EXPECT_NE(tc.find("message=\"refuted: expected candidate/baseline ratio [5, 10], measured "),
            std::string::npos)
      << tc;
  EXPECT_TRUE(std::regex_search(tc, std::regex(R"(measured [0-9.]+ \[[0-9.]+, [0-9.]+\])"))) << tc;
}

TEST(render_junit, counts_per_suite_and_keeps_case_and_claim_names_unique) {
  const std::string xml = render_junit(sample_run());
  EXPECT_NE(xml.find("<testsuite name=\"performance\" tests=\"18\" failures=\"1\" errors=\"0\" "
                     "skipped=\"0\""),
            std::string::npos)
      << xml.substr(0, 600);
  EXPECT_NE(xml.find("<testsuite name=\"rollout\" tests=\"9\" failures=\"1\" errors=\"2\" "
                     "skipped=\"3\""),
            std::string::npos);
  std::set<std::string> pairs;
  const std::regex tc(R"re(<testcase classname="([^"]*)" name="([^"]*)")re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tc); it != std::sregex_iterator();
       ++it)
    EXPECT_TRUE(pairs.insert((*it)[1].str() + "\n" + (*it)[2].str()).second) << (*it)[2];
  EXPECT_EQ(pairs.size(), 27u);
}

TEST(render_junit, writes_times_with_three_decimals_and_no_exponent) {
  run_record run = sample_run();
  run.cases[0].wall_seconds = 1e-7;
  run.cases[1].wall_seconds = 12345.67891;
  const std::string xml = render_junit(run);
  const std::regex time_attr(R"re(time="([^"]*)")re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), time_attr);
       it != std::sregex_iterator(); ++it)
    EXPECT_TRUE(std::regex_match((*it)[1].str(), std::regex(R"re([0-9]+\.[0-9]{3})re")))
        << (*it)[1];
  EXPECT_NE(xml.find("time=\"12345.679\""), std::string::npos);
}

TEST(render_junit, carries_commit_seed_and_scenario_digest_as_properties) {
  const std::string xml = render_junit(sample_run());
  EXPECT_NE(
      xml.find("<property name=\"commit\" value=\"0123456789abcdef0123456789abcdef01234567\"/>"),
      std::string::npos);
  EXPECT_NE(xml.find("<property name=\"seed\" value=\"7\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"scenario_sha256\" value=\"9f86d081884c7d659a2feaa0c55ad015"
                     "a3bf4f1b2b0b822cd15d6c15b0f00a08\"/>"),
            std::string::npos);
}

TEST(render_junit, contains_no_control_characters_and_escapes_markup) {
  const std::string xml = render_junit(sample_run());
  EXPECT_FALSE(testing::has_control_characters(xml));
  EXPECT_NE(xml.find("&lt;body&gt; &amp; \"quotes\""), std::string::npos);
  EXPECT_NE(xml.find("EXAI Validation: &lt;APPROVED&gt; &amp; signed"), std::string::npos);
}

TEST(xml_escape, escapes_for_attributes) {
  EXPECT_EQ(xml_escape("a<\"\n"), "a&lt;&quot;&#10;");
}

TEST(render_junit, marks_a_partial_merge_in_a_property) {
  run_record run = sample_run();
  run.prov.shard_total = 2;
  run.prov.shards = {{1, 2, run.prov.host, run.prov.command_line, "", ""}};
  run.prov.missing_shards = {2};
  EXPECT_NE(
      render_junit(run).find("<property name=\"partial\" value=\"shard(s) 2 of 2 missing\"/>"),
      std::string::npos);
}

// `lines` numbered lines of stderr, each "line N of the subject's stderr ..." (about 60 bytes).
std::string stderr_of(int lines) {
  std::string text;
  for (int i = 1; i <= lines; ++i)
    text += fmt::format("line {} of the subject's stderr, \u00e9 included\n", i);
  return text;
}

// The sample run with a long stderr tail on every case, whatever its status.
run_record with_stderr_everywhere(const std::string& text) {
  run_record run = sample_run();
  for (auto& c : run.cases)
    c.subject_stderr_tail = text;
  return run;
}

TEST(render_junit, keeps_the_subjects_stderr_for_failed_and_errored_cases_only) {
  const std::string xml = render_junit(with_stderr_everywhere("the subject said hello\n"));
  for (const auto& c : sample_run().cases) {
    const std::string tc = testcase_named(xml, c.id);
    ASSERT_FALSE(tc.empty()) << c.id;
    const bool went_wrong = c.status == case_status::failed || c.status == case_status::error;
    EXPECT_EQ(tc.find("<system-err>") != std::string::npos, went_wrong) << tc;
  }
}

TEST(render_junit, bounds_a_long_stderr_to_its_tail_after_a_marker) {
  const std::string text = stderr_of(1000);
  ASSERT_GT(text.size(), 4 * junit_output_bytes);
  const std::string xml = render_junit(with_stderr_everywhere(text));
  const std::string tc = testcase_named(xml, "rollout/restart-stickiness");  // errored
  const auto open = tc.find("<system-err>"), close = tc.find("</system-err>");
  ASSERT_NE(open, std::string::npos) << tc;
  const std::string kept = tc.substr(open + 12, close - open - 12);
  EXPECT_TRUE(std::regex_search(
      kept, std::regex(R"(^\[rollproof: [0-9]+ earlier bytes left out; evidence\.json has the )"
                       R"(subject's stderr tail\]\nline [0-9]+ of)")))
      << kept.substr(0, 200);
  EXPECT_TRUE(kept.ends_with("line 1000 of the subject's stderr, \u00e9 included\n"));
  EXPECT_LE(kept.size(), junit_output_bytes + 100);
  const std::smatch cut = [&] {
    std::smatch m;
    std::regex_search(kept, m, std::regex("([0-9]+) earlier bytes"));
    return m;
  }();
  // The bytes said to be left out and the bytes kept are the whole text, from a line start.
  EXPECT_EQ(text.substr(std::stoul(cut[1].str())), kept.substr(kept.find('\n') + 1));
}

TEST(render_junit, keeps_a_short_stderr_whole_without_a_marker) {
  const std::string tc = testcase_named(render_junit(with_stderr_everywhere(stderr_of(3))),
                                        "rollout/restart-stickiness");
  EXPECT_NE(tc.find("<system-err>" + stderr_of(3) + "</system-err>"), std::string::npos) << tc;
  EXPECT_EQ(tc.find("[rollproof:"), std::string::npos);
}

TEST(render_junit, stays_valid_against_the_schema_with_long_and_multibyte_stderr) {
  testing::temp_dir dir;
  testing::write_text(dir.path() / "junit.xml",
                      render_junit(with_stderr_everywhere(stderr_of(999))));
  const auto xsd = testing::junit_xsd();
  const auto r = testing::run_command("xmllint --noout --schema '" + xsd.string() + "' '" +
                                      (dir.path() / "junit.xml").string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// How many times `what` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
    ++n;
  return n;
}

// The value of attribute `name` in the start tag that begins at `at`.
std::uint64_t attribute_at(const std::string& xml, std::size_t at, const std::string& name) {
  const auto end = xml.find('>', at);
  const auto p = xml.find(" " + name + "=\"", at);
  if (p == std::string::npos || p > end) return static_cast<std::uint64_t>(-1);
  return std::stoull(xml.substr(p + name.size() + 3));
}

TEST(render_junit, states_the_counts_its_elements_have_in_every_suite_and_in_the_total) {
  // Consumers differ: Jenkins and GitLab count the elements, others read the attributes.
  const std::string xml = render_junit(with_stderr_everywhere(stderr_of(200)));
  std::uint64_t tests = 0, failures = 0, errors = 0, suites = 0;
  for (auto open = xml.find("<testsuite "); open != std::string::npos;
       open = xml.find("<testsuite ", open + 1), ++suites) {
    const std::string body = xml.substr(open, xml.find("</testsuite>", open) - open);
    EXPECT_EQ(attribute_at(xml, open, "tests"), occurrences(body, "<testcase "));
    EXPECT_EQ(attribute_at(xml, open, "failures"), occurrences(body, "<failure "));
    EXPECT_EQ(attribute_at(xml, open, "errors"), occurrences(body, "<error "));
    EXPECT_EQ(attribute_at(xml, open, "skipped"), occurrences(body, "<skipped "));
    tests += attribute_at(xml, open, "tests");
    failures += attribute_at(xml, open, "failures");
    errors += attribute_at(xml, open, "errors");
  }
  EXPECT_GE(suites, 2u);
  const auto root = xml.find("<testsuites ");
  ASSERT_NE(root, std::string::npos);
  EXPECT_EQ(attribute_at(xml, root, "tests"), tests);
  EXPECT_EQ(attribute_at(xml, root, "failures"), failures);
  EXPECT_EQ(attribute_at(xml, root, "errors"), errors);
  EXPECT_EQ(tests, sample_run().cases.size() + sample_run().claims.size());
}

}  // namespace
}  // namespace rollproof::reports
