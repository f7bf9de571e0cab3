#include "rollproof/framework/terminal.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <ostream>

#include "rollproof/common/terminal_text.hpp"

namespace rollproof::framework {
namespace {

using reports::case_status;
using reports::verdict;

// `text` in the ANSI colour `code` when `color`.
std::string painted(std::string_view text, const char* code, bool color) {
  if (!color || code == nullptr) return std::string(text);
  return fmt::format("\033[{}m{}\033[0m", code, text);
}

const char* color_of(case_status s) {
  switch (s) {
    case case_status::passed:
      return "32";
    case case_status::failed:
      return "31";
    case case_status::error:
    case case_status::skipped:
      return "33";
  }
  return nullptr;
}

const char* color_of(verdict v) {
  switch (v) {
    case verdict::verified:
      return "32";
    case verdict::refuted:
    case verdict::error:
      return "31";
    case verdict::inconclusive:
      return "33";
    case verdict::unverifiable:
      return nullptr;
  }
  return nullptr;
}

// "33 passed, 2 failed": the non-zero counts, in the order given.
template <typename Status, std::size_t N>
std::string outcome_counts(const std::map<Status, std::size_t>& counts,
                           const std::pair<Status, const char*> (&names)[N]) {
  std::string text;
  for (const auto& [status, name] : names) {
    const auto it = counts.find(status);
    if (it == counts.end() || it->second == 0) continue;
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", it->second, name);
  }
  return text.empty() ? std::string() : " (" + text + ")";
}

std::string measured_text(const reports::claim_record& c) {
  if (!c.measured.value) return "-";
  std::string text = fmt::format("{:.4g}", *c.measured.value);
  if (c.measured.ci)
    text += fmt::format(" [{:.4g}, {:.4g}]", c.measured.ci->low, c.measured.ci->high);
  return text + fmt::format(" n={}", c.measured.n);
}

}  // namespace

bool use_color(color_mode mode, int fd) {
  if (mode != color_mode::automatic) return mode == color_mode::always;
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(fd) != 0 && (no_color == nullptr || *no_color == '\0');
}

std::string count_of(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string duration_text(double seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 59.95) return fmt::format("{:.1f} s", seconds);
  const auto whole = static_cast<long long>(std::llround(seconds));
  return fmt::format("{} min {:02} s", whole / 60, whole % 60);
}

std::string closing_line(std::string_view program, const reports::run_record& run, double seconds,
                         int exit_code) {
  std::map<case_status, std::size_t> cases;
  for (const auto& c : run.cases)
    ++cases[c.status];
  std::map<verdict, std::size_t> claims;
  for (const auto& c : run.claims)
    ++claims[c.result];
  static constexpr std::pair<case_status, const char*> case_names[] = {
      {case_status::passed, "passed"},
      {case_status::failed, "failed"},
      {case_status::error, "error"},
      {case_status::skipped, "skipped"}};
  static constexpr std::pair<verdict, const char*> claim_names[] = {
      {verdict::verified, "verified"},
      {verdict::refuted, "refuted"},
      {verdict::inconclusive, "inconclusive"},
      {verdict::unverifiable, "unverifiable"},
      {verdict::error, "error"}};
  return fmt::format("{}: {}{}, {}{}{}; exit {}", program, count_of(run.cases.size(), "case"),
                     outcome_counts(cases, case_names), count_of(run.claims.size(), "claim"),
                     outcome_counts(claims, claim_names),
                     seconds < 0 ? std::string() : " in " + duration_text(seconds), exit_code);
}

std::string claim_reason(const reports::claim_record& c) {
  switch (c.result) {
    case verdict::verified:
    case verdict::refuted:
      return {};
    case verdict::error:
    case verdict::unverifiable:
      return c.reason;
    case verdict::inconclusive:
      break;
  }
  // An undecided estimate names its reason (with the samples it lacks); one whose interval
  // straddles a bound has none, so the table says that and what would settle it.
  if (!c.reason.empty()) return c.reason;
  return "the interval straddles a bound" +
         (c.samples_needed
              ? fmt::format("; about {} samples per group would settle it", *c.samples_needed)
              : std::string("; the estimate sits on the bound"));
}

void print_claims_table(const reports::run_record& run, std::ostream& out, bool color) {
  if (run.claims.empty()) {
    out << "no claims\n";
    return;
  }
  std::size_t id_width = 5, measured_width = 8, expected_width = 8;
  bool any_reason = false;  // a run where every claim was decided needs no reason column
  for (const auto& c : run.claims) {
    id_width = std::max(id_width, terminal_text(c.id).size());
    measured_width = std::max(measured_width, measured_text(c).size());
    expected_width = std::max(expected_width, terminal_text(c.expected).size());
    any_reason = any_reason || !claim_reason(c).empty();
  }
  const std::string header =
      fmt::format("{:<{}}  {:<12}  {:<{}}  {:<{}}  {}", "claim", id_width, "verdict", "measured",
                  measured_width, "expected", expected_width, any_reason ? "reason" : "");
  out << header.substr(0, header.find_last_not_of(' ') + 1) << "\n";
  for (const auto& c : run.claims) {
    // Padded before it is painted, so the escape bytes do not count as width.
    const std::string shown =
        painted(fmt::format("{:<12}", reports::to_string(c.result)), color_of(c.result), color);
    // Ids, expectations and reasons come from scenario files and measurements: no raw escapes.
    const std::string line = fmt::format(
        "{:<{}}  {}  {:<{}}  {:<{}}  {}", terminal_text(c.id), id_width, shown, measured_text(c),
        measured_width, terminal_text(c.expected), expected_width, terminal_text(claim_reason(c)));
    out << line.substr(0, line.find_last_not_of(' ') + 1) << "\n";
  }
}

std::string heartbeat_line(std::size_t index, std::size_t total, std::string_view id,
                           double seconds, std::size_t answered, std::size_t uploads) {
  return fmt::format(
      "[{}/{}] {} still running after {}{}", index, total, terminal_text(id),
      duration_text(seconds),
      uploads == 0 ? std::string() : fmt::format(", {}/{} uploads answered", answered, uploads));
}

std::chrono::duration<double> heartbeat_interval() {
  if (const char* v = std::getenv("ROLLPROOF_HEARTBEAT_SECONDS"); v != nullptr && *v != '\0') {
    char* end = nullptr;
    const double s = std::strtod(v, &end);
    if (*end == '\0' && std::isfinite(s) && s > 0) return std::chrono::duration<double>(s);
  }
  return std::chrono::seconds(5);
}

progress_printer::progress_printer(std::ostream& out, std::size_t total, bool color,
                                   std::chrono::duration<double> heartbeat)
    : out_(out),
      total_(total),
      color_(color),
      interval_(heartbeat),
      run_started_(std::chrono::steady_clock::now()),
      thread_([this] { beat(); }) {}

progress_printer::~progress_printer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void progress_printer::case_started(std::size_t index, std::string_view id, std::size_t uploads) {
  {
    std::lock_guard lock(mutex_);
    running_ = true;
    ++generation_;
    index_ = index;
    id_ = std::string(id);
    uploads_ = uploads;
    answered_.store(0);
    case_started_ = std::chrono::steady_clock::now();
  }
  wake_.notify_all();
}

void progress_printer::case_done(const reports::case_record& c, double seconds) {
  std::lock_guard lock(mutex_);
  running_ = false;
  ++generation_;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started_).count();
  const std::size_t done = index_ == 0 ? 1 : index_;
  const double eta =
      elapsed / static_cast<double>(done) * static_cast<double>(total_ > done ? total_ - done : 0);
  // The id and message come from the scenario, the subject and the mock: no raw escapes.
  out_ << fmt::format(
      "[{}/{}] {} {} ({:.1f}s) ETA {:.0f}s{}\n", done, total_, terminal_text(c.id),
      painted(reports::to_string(c.status), color_of(c.status), color_), seconds, eta,
      c.message.empty() ? "" : fmt::format(": {}", terminal_text(c.message.substr(0, 300))));
  out_.flush();
  wake_.notify_all();
}

void progress_printer::beat() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!running_) {
      wake_.wait(lock);
      continue;
    }
    // One beat per interval of the running case, until it ends or another starts.
    const std::size_t generation = generation_;
    const auto started = case_started_;
    for (int beats = 1; !stopping_ && generation_ == generation; ++beats) {
      const auto due = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     interval_ * beats);
      if (wake_.wait_until(lock, due, [&] { return stopping_ || generation_ != generation; }))
        break;
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      out_ << heartbeat_line(index_, total_, id_, seconds, answered_.load(), uploads_) << "\n";
      out_.flush();
    }
  }
}

}  // namespace rollproof::framework
