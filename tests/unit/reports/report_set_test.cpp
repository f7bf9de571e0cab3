// The report set is one unit (one run id, never a mixed set) and no write follows a planted link.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "command.hpp"
#include "rollproof/reports/junit.hpp"
#include "rollproof/reports/writers.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The run id evidence.json in `dir` carries, or "" when it has none.
std::string run_id_in(const fs::path& dir) {
  std::smatch m;
  const std::string text = read_text(dir / "evidence.json");
  static const std::regex id(R"re("run_id"\s*:\s*"([0-9a-f]{32})")re");
  return std::regex_search(text, m, id) ? m[1].str() : "";
}

run_record sample_run_with_id(const std::string& id) {
  run_record run = testing::sample_run();
  run.prov.run_id = id;
  return run;
}

// Every entry of `dir` by name (links not followed).
std::vector<std::string> entries_of(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// True when the report files in `dir` do not all carry the same one of `ids`.
bool is_mixed_set(const fs::path& dir, const std::vector<std::string>& ids) {
  std::set<std::string> seen;
  for (const char* name : report_file_names) {
    if (!fs::exists(dir / name)) continue;
    const std::string text = read_text(dir / name);
    for (const auto& id : ids)
      if (text.find(id) != std::string::npos) seen.insert(id);
  }
  return seen.size() > 1;
}

TEST(report_set, every_file_carries_one_fresh_run_id) {
  testing::temp_dir dir;
  ASSERT_TRUE(write_reports(sample_run_with_id(""), dir.path(), testing::sample_secrets()));
  const std::string first = run_id_in(dir.path());
  ASSERT_EQ(first.size(), 32u) << read_text(dir.path() / "evidence.json").substr(0, 2000);
  for (const char* name : report_file_names)
    EXPECT_NE(read_text(dir.path() / name).find(first), std::string::npos) << name;
  ASSERT_TRUE(write_reports(sample_run_with_id(""), dir.path(), testing::sample_secrets()));
  EXPECT_NE(run_id_in(dir.path()), first);
}

TEST(report_set, links_planted_in_out_are_replaced_and_their_targets_stay_untouched) {
  testing::temp_dir dir;
  const fs::path out = dir.path() / "out";
  fs::create_directories(out);
  for (const char* name : report_file_names) {
    const fs::path victim = dir.path() / (std::string("victim-") + name);
    testing::write_text(victim, "outside");
    fs::create_symlink(victim, out / name);
    // The temporary name the writer used before (`<name>.tmp.<pid>`) is planted too.
    fs::create_symlink(victim, out / (std::string(name) + ".tmp." + std::to_string(::getpid())));
  }
  ASSERT_TRUE(write_reports(testing::sample_run(), out, testing::sample_secrets()));
  for (const char* name : report_file_names) {
    EXPECT_EQ(read_text(dir.path() / (std::string("victim-") + name)), "outside") << name;
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(out / name))) << name;
  }
}

TEST(report_set, an_out_directory_that_is_a_symbolic_link_is_refused) {
  testing::temp_dir dir;
  fs::create_directories(dir.path() / "real");
  fs::create_directory_symlink(dir.path() / "real", dir.path() / "out");
  const auto r =
      write_reports(testing::sample_run(), dir.path() / "out", testing::sample_secrets());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("is a symbolic link"), std::string::npos) << r.error();
  EXPECT_TRUE(fs::is_empty(dir.path() / "real"));
}

// A tmpfs of `size` mounted on `at` while the object lives (the tests run as root).
class small_disk {
 public:
  small_disk(const fs::path& at, const std::string& size) : at_(at) {
    if (::mount("tmpfs", at.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0)
      mounted_ = true;
    else
      error_ = std::strerror(errno);
  }
  ~small_disk() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  small_disk(const small_disk&) = delete;
  small_disk& operator=(const small_disk&) = delete;
  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  fs::path at_;
  bool mounted_ = false;
  std::string error_;
};

// Fills the disk holding `dir` with `dir/filler` until it is full, then frees `pages` pages.
void fill_leaving_pages(const fs::path& dir, std::size_t pages) {
  const int fd = ::open((dir / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  const std::string page(4096, 'f');
  off_t size = 0;
  for (ssize_t n; (n = ::write(fd, page.data(), page.size())) > 0;)
    size += n;
  ASSERT_EQ(errno, ENOSPC);
  ASSERT_EQ(::ftruncate(fd, size - static_cast<off_t>(pages * 4096)), 0) << std::strerror(errno);
  ::close(fd);
}

TEST(report_set, a_disk_that_fills_mid_set_leaves_no_mixed_set_and_says_so) {
  testing::temp_dir dir;
  const fs::path out = dir.path() / "disk";
  fs::create_directories(out);
  small_disk disk(out, "1m");  // the sample set takes about 570 KiB
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs (needs root): " << disk.error();
  const std::string old_id(32, 'a');
  ASSERT_TRUE(write_reports(sample_run_with_id(old_id), out, testing::sample_secrets()));
  ASSERT_EQ(run_id_in(out), old_id);
  // Room for the new junit.xml only: the old writer renamed it in beside the old evidence.json.
  const run_record next = sample_run_with_id(std::string(32, 'b'));
  const std::size_t junit_pages =
      (render_junit(redacted(next, testing::sample_secrets())).size() + 4095) / 4096;
  fill_leaving_pages(out, junit_pages);
  const auto r = write_reports(next, out, testing::sample_secrets());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("No space left on device"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("no report set is left in " + out.string()), std::string::npos)
      << r.error();
  EXPECT_FALSE(is_mixed_set(out, {old_id, next.prov.run_id}));
  EXPECT_EQ(entries_of(out), std::vector<std::string>{"filler"});  // no report, no temporary
}

}  // namespace
}  // namespace rollproof::reports
