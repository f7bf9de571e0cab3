#include "rollproof/framework/terminal.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <sstream>
#include <streambuf>
#include <thread>

namespace rollproof::framework {
namespace {

using reports::case_record;
using reports::case_status;
using reports::claim_record;
using reports::run_record;
using reports::verdict;

case_record a_case(const std::string& id, case_status status) {
  case_record c;
  c.id = id;
  c.status = status;
  return c;
}

claim_record a_claim(const std::string& id, verdict v, const std::string& reason = "") {
  claim_record c;
  c.id = id;
  c.result = v;
  c.reason = reason;
  c.expected = ">= 1";
  return c;
}

// 35 cases (33 passed, 2 failed) and 5 claims (3 verified, 1 refuted, 1 inconclusive).
run_record the_issues_run() {
  run_record run;
  for (int i = 0; i < 35; ++i)
    run.cases.push_back(
        a_case(fmt::format("c{}", i), i < 33 ? case_status::passed : case_status::failed));
  for (const auto v : {verdict::verified, verdict::refuted, verdict::verified,
                       verdict::inconclusive, verdict::verified})
    run.claims.push_back(a_claim("claim", v));
  return run;
}

TEST(closing_line, counts_cases_and_claims_by_outcome_with_the_time_and_the_exit_code) {
  EXPECT_EQ(closing_line("rollproof", the_issues_run(), 12.4, 1),
            "rollproof: 35 cases (33 passed, 2 failed), 5 claims (3 verified, 1 refuted, 1 "
            "inconclusive) in 12.4 s; exit 1");
}

TEST(closing_line, says_1_case_and_1_claim_in_the_singular_and_0_cases_in_the_plural) {
  run_record run;
  run.cases.push_back(a_case("only", case_status::error));
  run.claims.push_back(a_claim("only", verdict::error, "no case matched"));
  EXPECT_EQ(closing_line("rollproof merge", run, -1, 3),
            "rollproof merge: 1 case (1 error), 1 claim (1 error); exit 3");
  EXPECT_EQ(closing_line("rollproof", run_record{}, 0.04, 0),
            "rollproof: 0 cases, 0 claims in 0.0 s; exit 0");
}

TEST(count_of, adds_an_s_unless_there_is_exactly_one) {
  EXPECT_EQ(count_of(1, "claim"), "1 claim");
  EXPECT_EQ(count_of(0, "claim"), "0 claims");
  EXPECT_EQ(count_of(2, "scenario file"), "2 scenario files");
}

TEST(duration_text, reads_as_seconds_then_minutes) {
  EXPECT_EQ(duration_text(0.44), "0.4 s");
  EXPECT_EQ(duration_text(12.4), "12.4 s");
  EXPECT_EQ(duration_text(59.9), "59.9 s");
  EXPECT_EQ(duration_text(59.97), "1 min 00 s");
  EXPECT_EQ(duration_text(84.2), "1 min 24 s");
  EXPECT_EQ(duration_text(125), "2 min 05 s");
}

TEST(claim_reason, names_why_an_error_inconclusive_or_unverifiable_claim_is_not_decided) {
  EXPECT_EQ(claim_reason(a_claim("e", verdict::error, "no case matches the selector")),
            "no case matches the selector");
  EXPECT_EQ(claim_reason(a_claim("u", verdict::unverifiable, "not a measurable property")),
            "not a measurable property");
  auto few = a_claim("i", verdict::inconclusive, "only 3 cases where at least 8 are needed");
  few.samples_needed = 8;
  EXPECT_EQ(claim_reason(few), "only 3 cases where at least 8 are needed");
  auto straddles = a_claim("s", verdict::inconclusive);
  straddles.samples_needed = 1200;
  EXPECT_EQ(claim_reason(straddles),
            "the interval straddles a bound; about 1200 samples per group would settle it");
  straddles.samples_needed.reset();
  EXPECT_EQ(claim_reason(straddles),
            "the interval straddles a bound; the estimate sits on the bound");
  EXPECT_EQ(claim_reason(a_claim("v", verdict::verified, "ignored")), "");
  EXPECT_EQ(claim_reason(a_claim("r", verdict::refuted)), "");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    lines.push_back(l);
  return lines;
}

TEST(print_claims_table, shows_the_reason_of_an_error_claim_in_its_own_column) {
  run_record run;
  run.claims.push_back(a_claim("seed.p1.tests", verdict::verified));
  run.claims.push_back(a_claim("seed.split", verdict::error,
                               "its candidate arm has no cases in this run: filtered out"));
  std::ostringstream out;
  print_claims_table(run, out);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 3u) << out.str();
  const auto reason_column = lines[0].find("reason");
  ASSERT_NE(reason_column, std::string::npos) << lines[0];
  EXPECT_EQ(lines[2].substr(reason_column),
            "its candidate arm has no cases in this run: filtered out");
  EXPECT_EQ(lines[1].find("filtered"), std::string::npos);
  EXPECT_EQ(lines[1].back(), '1') << "a verified claim's row ends with its expectation";
}

TEST(print_claims_table, leaves_out_the_reason_column_when_every_claim_is_decided) {
  run_record run;
  run.claims.push_back(a_claim("a", verdict::verified));
  run.claims.push_back(a_claim("b", verdict::refuted));
  std::ostringstream out;
  print_claims_table(run, out);
  EXPECT_EQ(out.str().find("reason"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find(" \n"), std::string::npos) << "no trailing blanks:\n" << out.str();
}

TEST(print_claims_table, colours_only_the_verdict_when_asked_and_keeps_the_columns) {
  run_record run;
  run.claims.push_back(a_claim("a", verdict::refuted));
  run.claims.push_back(a_claim("b", verdict::inconclusive, "only 3 cases"));
  std::ostringstream plain, painted;
  print_claims_table(run, plain, false);
  print_claims_table(run, painted, true);
  EXPECT_EQ(plain.str().find('\033'), std::string::npos);
  EXPECT_NE(painted.str().find("\033[31mrefuted"), std::string::npos) << painted.str();
  std::string stripped = painted.str();
  for (const std::string code : {"\033[31m", "\033[33m", "\033[0m"})
    for (auto p = stripped.find(code); p != std::string::npos; p = stripped.find(code))
      stripped.erase(p, code.size());
  EXPECT_EQ(stripped, plain.str());
}

// A pseudo-terminal's slave side: a file descriptor for which isatty is true.
class pseudo_terminal {
 public:
  pseudo_terminal() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ >= 0 && ::grantpt(master_) == 0 && ::unlockpt(master_) == 0)
      slave_ = ::open(::ptsname(master_), O_RDWR | O_NOCTTY);
  }
  ~pseudo_terminal() {
    if (slave_ >= 0) ::close(slave_);
    if (master_ >= 0) ::close(master_);
  }
  pseudo_terminal(const pseudo_terminal&) = delete;
  pseudo_terminal& operator=(const pseudo_terminal&) = delete;
  [[nodiscard]] int fd() const { return slave_; }

 private:
  int master_ = -1;
  int slave_ = -1;
};

TEST(use_color, colours_a_terminal_under_auto_unless_no_color_is_set_and_never_a_pipe) {
  pseudo_terminal tty;
  if (tty.fd() < 0) GTEST_SKIP() << "no pseudo-terminal available";
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  ::unsetenv("NO_COLOR");
  EXPECT_TRUE(use_color(color_mode::automatic, tty.fd()));
  EXPECT_FALSE(use_color(color_mode::automatic, pipe_fds[1]));
  EXPECT_TRUE(use_color(color_mode::always, pipe_fds[1]));
  EXPECT_FALSE(use_color(color_mode::never, tty.fd()));
  ::setenv("NO_COLOR", "", 1);  // no-color.org: an empty value does not count
  EXPECT_TRUE(use_color(color_mode::automatic, tty.fd()));
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(use_color(color_mode::automatic, tty.fd()));
  EXPECT_TRUE(use_color(color_mode::always, tty.fd()));
  ::unsetenv("NO_COLOR");
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST(heartbeat_interval, is_5_seconds_unless_the_environment_gives_a_positive_number) {
  ::unsetenv("ROLLPROOF_HEARTBEAT_SECONDS");
  EXPECT_EQ(heartbeat_interval().count(), 5.0);
  ::setenv("ROLLPROOF_HEARTBEAT_SECONDS", "0.25", 1);
  EXPECT_EQ(heartbeat_interval().count(), 0.25);
  for (const char* bad : {"0", "-1", "soon", "1s"}) {
    ::setenv("ROLLPROOF_HEARTBEAT_SECONDS", bad, 1);
    EXPECT_EQ(heartbeat_interval().count(), 5.0) << bad;
  }
  ::unsetenv("ROLLPROOF_HEARTBEAT_SECONDS");
}

TEST(heartbeat_line, names_the_case_its_time_and_its_uploads_answered) {
  EXPECT_EQ(heartbeat_line(3, 35, "smoke/json-64KiB", 10.2, 12, 50),
            "[3/35] smoke/json-64KiB still running after 10.2 s, 12/50 uploads answered");
  EXPECT_EQ(heartbeat_line(1, 1, "bucketing", 5.0, 0, 0),
            "[1/1] bucketing still running after 5.0 s");
}

// A stream buffer that another thread may write while this one reads what it holds.
class shared_buffer : public std::streambuf {
 public:
  [[nodiscard]] std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    std::lock_guard lock(mutex_);
    text_.push_back(traits_type::to_char_type(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    text_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::mutex mutex_;
  std::string text_;
};

TEST(progress_printer, beats_while_a_case_runs_with_its_uploads_answered) {
  shared_buffer buffer;
  std::ostream out(&buffer);
  {
    progress_printer printer(out, 2, false, std::chrono::milliseconds(10));
    printer.case_started(1, "slow/case", 20);
    printer.answered().store(7);
    // Waits for the event, not for a time: the deadline only stops a broken printer's test.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (buffer.text().find("still running") == std::string::npos &&
           std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    printer.case_done(a_case("slow/case", case_status::passed), 3.5);
  }
  const std::string text = buffer.text();
  EXPECT_NE(text.find("[1/2] slow/case still running after "), std::string::npos) << text;
  EXPECT_NE(text.find(", 7/20 uploads answered\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[1/2] slow/case passed (3.5s)"), std::string::npos) << text;
}

TEST(progress_printer, prints_no_heartbeat_for_a_case_that_ends_within_the_interval) {
  std::ostringstream out;
  {
    progress_printer printer(out, 1, false, std::chrono::hours(1));
    printer.case_started(1, "quick", 4);
    printer.case_done(a_case("quick", case_status::failed), 10.04);
  }
  EXPECT_EQ(out.str().find("still running"), std::string::npos) << out.str();
  EXPECT_TRUE(out.str().starts_with("[1/1] quick failed (10.0s) ETA 0s")) << out.str();
}

TEST(progress_printer, colours_the_status_only_when_asked) {
  std::ostringstream plain, painted;
  {
    progress_printer a(plain, 1, false, std::chrono::hours(1));
    progress_printer b(painted, 1, true, std::chrono::hours(1));
    a.case_started(1, "x", 1);
    b.case_started(1, "x", 1);
    a.case_done(a_case("x", case_status::passed), 1);
    b.case_done(a_case("x", case_status::passed), 1);
  }
  EXPECT_EQ(plain.str().find('\033'), std::string::npos);
  EXPECT_NE(painted.str().find("\033[32mpassed\033[0m"), std::string::npos) << painted.str();
}

}  // namespace
}  // namespace rollproof::framework
