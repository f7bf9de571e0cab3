#include "rollproof/reports/evidence_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "command.hpp"
#include "json_exact.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

using testing::sample_run;

TEST(evidence_json, validates_against_its_json_schema) {
  testing::temp_dir dir;
  const auto file = dir.path() / "evidence.json";
  testing::write_text(file, render_evidence_json(sample_run()));
  const auto schema = testing::source_dir() / "reports" / "evidence.schema.json";
  const auto r = testing::run_command(
      "python3 -c 'import json, sys, jsonschema; "
      "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate("
      "json.load(open(sys.argv[2]))); print(\"valid\")' '" +
      schema.string() + "' '" + file.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("valid"), std::string::npos) << r.output;
}

TEST(evidence_json, schema_rejects_a_document_that_breaks_the_contract) {
  testing::temp_dir dir;
  auto doc = evidence_to_json(sample_run());
  doc.as_object()["provenance"].as_object()["git"].as_object()["commit"] = "not-a-commit";
  const auto file = dir.path() / "evidence.json";
  testing::write_text(file, boost::json::serialize(doc));
  const auto schema = testing::source_dir() / "reports" / "evidence.schema.json";
  const auto r = testing::run_command(
      "python3 -c 'import json, sys, jsonschema; "
      "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate("
      "json.load(open(sys.argv[2])))' '" +
      schema.string() + "' '" + file.string() + "'");
  EXPECT_NE(r.exit_code, 0) << r.output;
}

TEST(evidence_json, round_trips_through_run_from_json) {
  const run_record run = sample_run();
  const auto json = evidence_to_json(run);
  boost::system::error_code ec;
  const auto back = run_from_json(detail::parse_json_exact(render_evidence_json(run), ec));
  ASSERT_FALSE(ec);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(evidence_to_json(*back), json);
  EXPECT_EQ(back->cases.size(), run.cases.size());
  EXPECT_EQ(back->claims[0].spec_json, run.claims[0].spec_json);
}

TEST(evidence_json, writes_the_after_rollback_phase_and_not_run_checks_and_reads_them_back) {
  run_record run = sample_run();
  case_record& c = run.cases.front();
  ASSERT_FALSE(c.uploads.empty());
  c.uploads.back().phase = upload_phase::after_rollback;
  c.checks.push_back({"metrics", false, "agree", "the subject offers no metrics", true});
  const auto json = evidence_to_json(run);
  const auto& uploads = json.at("cases").at(0).at("uploads").as_array();
  EXPECT_FALSE(uploads.front().as_object().contains("phase"));  // stage: the default, left out
  EXPECT_EQ(uploads.back().at("phase"), "after_rollback");
  boost::system::error_code ec;
  const auto back = run_from_json(detail::parse_json_exact(render_evidence_json(run), ec));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->cases.front().uploads.back().phase, upload_phase::after_rollback);
  EXPECT_EQ(back->cases.front().uploads.front().phase, upload_phase::stage);
  EXPECT_TRUE(back->cases.front().checks.back().not_run);
  EXPECT_FALSE(back->cases.front().checks.front().not_run);
}

TEST(evidence_json, writes_an_unknown_upload_with_its_reason_and_reads_it_back) {
  run_record run = sample_run();
  case_record& c = run.cases.front();
  ASSERT_FALSE(c.uploads.empty());
  c.uploads.back().unknown = "the mock died";
  const auto json = evidence_to_json(run);
  const auto& uploads = json.at("cases").at(0).at("uploads").as_array();
  EXPECT_FALSE(uploads.front().as_object().contains("unknown"));  // known: the default, left out
  EXPECT_EQ(uploads.back().at("unknown"), "the mock died");
  boost::system::error_code ec;
  const auto back = run_from_json(detail::parse_json_exact(render_evidence_json(run), ec));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->cases.front().uploads.back().unknown, "the mock died");
  EXPECT_TRUE(is_known(back->cases.front().uploads.front()));
  testing::temp_dir dir;
  const auto file = dir.path() / "evidence.json";
  testing::write_text(file, render_evidence_json(run));
  const auto schema = testing::source_dir() / "reports" / "evidence.schema.json";
  const auto r = testing::run_command(
      "python3 -c 'import json, sys, jsonschema; "
      "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate("
      "json.load(open(sys.argv[2]))); print(\"valid\")' '" +
      schema.string() + "' '" + file.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(evidence_json, writes_unbounded_interval_sides_as_null_and_reads_them_back) {
  run_record run = sample_run();
  run.claims[0].measured.ci = interval{0.5, std::numeric_limits<double>::infinity(), 0.95};
  const auto json = evidence_to_json(run);
  EXPECT_TRUE(json.at("claims").at(0).at("measured").at("interval").at("high").is_null());
  const auto back = run_from_json(json);
  ASSERT_TRUE(back);
  EXPECT_TRUE(std::isinf(back->claims[0].measured.ci->high));
}

TEST(evidence_json, names_the_field_that_is_wrong) {
  auto doc = evidence_to_json(sample_run());
  doc.as_object()["cases"].as_array()[2].as_object()["status"] = "fine";
  const auto back = run_from_json(doc);
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().find("evidence.cases[2].status"), std::string::npos) << back.error();
  EXPECT_FALSE(run_from_json(boost::json::parse("[]")));
}

TEST(evidence_json, summarises_cases_and_claims) {
  const auto json = evidence_to_json(sample_run());
  EXPECT_EQ(json.at("summary").at("claims").at("refuted").as_uint64(), 1u);
  EXPECT_EQ(json.at("summary").at("cases").at("error").as_uint64(), 1u);
  EXPECT_EQ(json.at("cases").at(0).at("aggregates").at("uploads").as_uint64(), 20u);
}

TEST(parse_json_exact, reads_back_every_double_bit_for_bit) {
  // Boost 1.81's parser may round the last digit of such values differently from from_chars.
  const double values[] = {9.456489044619149e-2, 0.1 + 0.2, 2.4455445544554455, 1e-300, 123456.789};
  for (const double d : values) {
    boost::system::error_code ec;
    const auto v = detail::parse_json_exact(boost::json::serialize(boost::json::array{d, 7}), ec);
    ASSERT_FALSE(ec);
    EXPECT_EQ(v.at(0).as_double(), d);
    EXPECT_EQ(v.at(1).as_int64(), 7);
  }
}

TEST(pretty_json, indents_nested_values) {
  EXPECT_EQ(pretty_json(boost::json::parse(R"({"a":[1,{"b":null}],"c":{}})")),
            "{\n  \"a\": [\n    1,\n    {\"b\": null}\n  ],\n  \"c\": {}\n}\n");
}

// Validates `run`'s evidence against the JSON Schema; the validator's output when it fails.
testing::command_result schema_check(const run_record& run) {
  testing::temp_dir dir;
  const auto file = dir.path() / "evidence.json";
  testing::write_text(file, render_evidence_json(run));
  const auto schema = testing::source_dir() / "reports" / "evidence.schema.json";
  return testing::run_command(
      "python3 -c 'import json, sys, jsonschema; "
      "jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate("
      "json.load(open(sys.argv[2])))' '" +
      schema.string() + "' '" + file.string() + "'");
}

TEST(evidence_json, records_a_run_outside_a_git_work_tree_as_such) {
  run_record run = sample_run();
  run.prov.git = {};
  run.prov.git.work_tree = false;
  const auto json = evidence_to_json(run);
  EXPECT_EQ(json.at("provenance").at("git").at("state"), "not a git work tree");
  EXPECT_TRUE(json.at("provenance").at("git").at("commit").is_null());
  const auto check = schema_check(run);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  const auto back = run_from_json(json);
  ASSERT_TRUE(back) << back.error();
  EXPECT_FALSE(back->prov.git.work_tree);
}

TEST(evidence_json, records_the_shard_the_plan_and_the_subject_and_reads_them_back) {
  run_record run = sample_run();
  run.prov.shard_index = 2;
  run.prov.shard_total = 3;
  run.prov.filter = "*64KiB*";
  const auto json = evidence_to_json(run);
  EXPECT_EQ(json.at("provenance").at("shard").at("index"), 2);
  EXPECT_EQ(json.at("scenarios").at(0).at("subject").at("name"), "rollproof-upload");
  const auto back = run_from_json(json);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->prov.shard_index, 2u);
  EXPECT_EQ(back->prov.shard_total, 3u);
  EXPECT_EQ(back->prov.filter, "*64KiB*");
  EXPECT_EQ(back->prov.plan_cases, run.cases.size());
  EXPECT_EQ(back->scenarios[0].subject.program_sha256, run.scenarios[0].subject.program_sha256);
}

TEST(evidence_json, writes_the_seed_override_or_null_when_each_scenario_kept_its_own) {
  run_record run = sample_run();
  run.prov.seed = 5;
  EXPECT_EQ(evidence_to_json(run).at("provenance").at("seed"), 5);
  run.prov.seed.reset();
  EXPECT_TRUE(evidence_to_json(run).at("provenance").at("seed").is_null());
  const auto back = run_from_json(evidence_to_json(run));
  ASSERT_TRUE(back) << back.error();
  EXPECT_FALSE(back->prov.seed.has_value());
  EXPECT_EQ(back->scenarios[0].seed, 7u);
}

TEST(evidence_json, a_partial_merge_validates_against_the_schema) {
  run_record run = sample_run();
  run.prov.shard_total = 2;
  run.prov.shards = {{1, 2, run.prov.host, run.prov.command_line, "", ""}};
  run.prov.missing_shards = {2};
  const auto check = schema_check(run);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(evidence_to_json(run).at("provenance").at("partial"), true);
}

}  // namespace
}  // namespace rollproof::reports
