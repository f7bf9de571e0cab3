// docs/schemas against everything that speaks the subject protocol: the schemas themselves, the
// examples of docs/subject-protocol.md, negative examples, rollproof-upload's answers to
// hand-written requests, and every line of real runs in both directions.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "run_command.hpp"

namespace rollproof::testing {
namespace {

// tests/integration/protocol/check_messages.py in `mode` with `args` (schemas first).
command_result check(const std::string& mode, const std::vector<std::string>& args = {}) {
  std::vector<std::string> argv{
      "python3", (source_dir() / "tests/integration/protocol/check_messages.py").string(), mode,
      (source_dir() / "docs/schemas").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

std::string protocol_data(const std::string& relative) {
  return (source_dir() / "tests/data/protocol" / relative).string();
}

// Runs `scenarios` (a file or folder of tests/data/protocol) with rollproof-upload behind
// tests/support/capture_subject.sh, which keeps each session in `capture`.
command_result run_captured(const std::string& scenarios, const temp_dir& capture,
                            const temp_dir& out) {
  const std::string subject = "sh " + (source_dir() / "tests/support/capture_subject.sh").string() +
                              " " + capture.str() + " " + (bin_dir() / "rollproof-upload").string();
  return rollproof({"run", protocol_data(scenarios), "--out", out.str(), "--subject", subject});
}

TEST(subject_protocol_schemas, are_draft_2020_12_schemas_for_every_request_and_answer) {
  const auto r = check("schemas");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST(subject_protocol_schemas, accept_every_example_of_the_protocol_document) {
  const auto r = check("doc", {(source_dir() / "docs/subject-protocol.md").string()});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST(subject_protocol_schemas, reject_every_negative_example) {
  const auto r = check("negative", {protocol_data("negative.jsonl")});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST(subject_protocol_schemas, accept_every_answer_rollproof_upload_gives_to_hand_written_lines) {
  const auto r =
      check("probe", {protocol_data("probes.txt"), (bin_dir() / "rollproof-upload").string()});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST(subject_protocol_schemas, accept_every_line_of_a_real_run_in_both_directions) {
  temp_dir capture, out;
  const auto run = run_captured("capture", capture, out);
  // 0 or 1: the verdicts do not matter here, only that every case ran (2 and 3 are failures).
  ASSERT_TRUE(run.code == 0 || run.code == 1) << run.code << "\n" << run.out << run.err;
  const auto r = check(
      "capture", {capture.str(), "hello", "configure", "upload", "bucket", "metrics", "shutdown"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  std::cout << r.out;
}

TEST(subject_protocol_schemas, catch_a_captured_answer_that_breaks_the_contract) {
  temp_dir capture, out;
  const auto run = run_captured("capture/uploads.toml", capture, out);
  ASSERT_TRUE(run.code == 0 || run.code == 1) << run.code << "\n" << run.out << run.err;
  // Drop "attempts" from one upload answer, as a subject that forgot the field would.
  bool broken = false;
  for (const auto& e : std::filesystem::directory_iterator(capture.path())) {
    if (broken || !e.path().string().ends_with(".answers.jsonl")) continue;
    std::istringstream in(read_file(e.path()));
    std::string line, text;
    while (std::getline(in, line)) {
      auto v = boost::json::parse(line);
      auto& answer = v.as_object();
      if (!broken && answer.at("id").is_string() && answer.at("id").as_string().starts_with("u-") &&
          answer.erase("attempts") == 1)
        broken = true;
      text += boost::json::serialize(v) + "\n";
    }
    std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << text;
  }
  ASSERT_TRUE(broken) << "no upload answer in the capture";
  const auto r = check("capture", {capture.str()});
  EXPECT_NE(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("upload.answer"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rollproof::testing
