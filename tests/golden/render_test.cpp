// report.html of the golden run rendered by a real browser (headless Chromium): no console error,
// the banner and every chart in the DOM, styled screenshots at 1280 px and at a phone's 390 px,
// and a PDF print. Set ROLLPROOF_SHOTS_DIR to keep the screenshots and the PDF for a look.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "command.hpp"
#include "rollproof/reports/html.hpp"
#include "rollproof/reports/writers.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

std::string shell_quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool have_chromium() {
  return testing::run_command("command -v chromium").exit_code == 0;
}

// Runs headless Chromium on `page` with `what` (e.g. --dump-dom) in a fresh profile; stdout to
// `out`, the browser's log to `log`.
testing::command_result chromium(const std::filesystem::path& dir, const std::string& what,
                                 const std::string& size, const std::filesystem::path& page,
                                 const std::filesystem::path& out,
                                 const std::filesystem::path& log) {
  static int profile = 0;
  const auto user_data = dir / ("profile-" + std::to_string(profile++));
  return testing::run_command(
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--enable-logging=stderr --v=0 --user-data-dir=" +
      shell_quoted(user_data) + " --window-size=" + size + " " + what + " " +
      shell_quoted("file://" + page.string()) + " >" + shell_quoted(out) + " 2>" +
      shell_quoted(log));
}

// The lines of the browser's log that report the page's own problems (console messages,
// blocked or failed loads, script errors), not the browser's (no D-Bus in a container).
std::string page_problems(const std::string& log) {
  std::string out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    for (const char* mark : {"CONSOLE", "Uncaught", "Failed to load", "Refused to", "ERR_FILE",
                             "net::ERR", "Content Security Policy"})
      if (line.find(mark) != std::string::npos) {
        out += line + "\n";
        break;
      }
  return out;
}

class rendered : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_chromium())
      GTEST_SKIP() << "chromium is not installed (scripts/bootstrap installs it): report.html "
                      "was NOT checked in a browser";
    page_ = dir_.path() / "report.html";
    testing::write_text(page_,
                        render_html(redacted(testing::sample_run(), testing::sample_secrets())));
    const char* keep = std::getenv("ROLLPROOF_SHOTS_DIR");
    shots_ = keep != nullptr && *keep != '\0' ? std::filesystem::path(keep) : dir_.path();
    std::filesystem::create_directories(shots_);
  }
  testing::temp_dir dir_;
  std::filesystem::path page_, shots_;
};

TEST_F(rendered, dom_has_the_banner_and_every_chart_and_the_console_stays_quiet) {
  const auto dom = dir_.path() / "dom.html", log = dir_.path() / "dom.log";
  const auto r = chromium(dir_.path(), "--dump-dom", "1280,2400", page_, dom, log);
  ASSERT_EQ(r.exit_code, 0) << read_text(log);
  const std::string text = read_text(dom);
  EXPECT_NE(text.find("<header class=\"banner fail\" id=\"verdict\">"), std::string::npos)
      << text.substr(0, 400);
  for (const char* kind : {"latency-ecdf", "throughput", "memory", "faults", "bucket-histogram",
                           "rollout-stages", "claim-ranges"})
    EXPECT_NE(text.find(std::string("data-chart=\"") + kind + "\""), std::string::npos) << kind;
  EXPECT_NE(text.find("</html>"), std::string::npos);
  EXPECT_EQ(page_problems(read_text(log)), "");
}

TEST_F(rendered, screenshots_are_styled_at_desktop_and_phone_width) {
  const auto checker = testing::source_dir() / "tests" / "golden" / "check_screenshot.py";
  for (const auto& [name, size] :
       {std::pair{"report-1280.png", "1280,2400"}, std::pair{"report-390.png", "390,2400"}}) {
    const auto png = shots_ / name, log = dir_.path() / (std::string(name) + ".log");
    const auto r = chromium(dir_.path(), "--screenshot=" + shell_quoted(png), size, page_,
                            dir_.path() / "stdout", log);
    ASSERT_EQ(r.exit_code, 0) << read_text(log);
    EXPECT_EQ(page_problems(read_text(log)), "") << name;
    // The fail banner's red at the top; the async blue and sync orange of the charts (at 390 px
    // the charts are below 2400 px, so the phone shot shows the banner and the claims only).
    const std::string colours =
        std::string(size) == "1280,2400" ? " '#b42318' '#0072b2' '#e69f00'" : " '#b42318'";
    const auto check = testing::run_command("python3 " + shell_quoted(checker) + " " +
                                            shell_quoted(png) + colours);
    EXPECT_EQ(check.exit_code, 0) << check.output;
  }
}

TEST_F(rendered, prints_to_a_pdf) {
  const auto pdf = shots_ / "report.pdf", log = dir_.path() / "pdf.log";
  const auto r = chromium(dir_.path(), "--no-pdf-header-footer --print-to-pdf=" + shell_quoted(pdf),
                          "1280,2400", page_, dir_.path() / "stdout", log);
  ASSERT_EQ(r.exit_code, 0) << read_text(log);
  const std::string bytes = read_text(pdf);
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_GT(bytes.size(), 20000u) << "a near-empty print";
  EXPECT_EQ(page_problems(read_text(log)), "");
}

}  // namespace
}  // namespace rollproof::reports
