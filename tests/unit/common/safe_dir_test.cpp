// No write of rollproof follows a symbolic link planted where it writes, nor any cache read.
#include "rollproof/common/safe_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "rollproof/common/atomic_file.hpp"

namespace rollproof {
namespace {

namespace fs = std::filesystem;

std::string contents_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_plain(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh directory holding `inside/` (where rollproof writes) and `victim` (a file outside it).
class planted_links : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("rollproof-safe-dir-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(inside());
    write_plain(victim(), "victim's own content");
  }
  void TearDown() override { fs::remove_all(root_); }
  [[nodiscard]] fs::path inside() const { return root_ / "inside"; }
  [[nodiscard]] fs::path victim() const { return root_ / "victim"; }
  void plant_link_to_victim(const fs::path& at) const { fs::create_symlink(victim(), at); }
  [[nodiscard]] bool victim_untouched() const {
    return contents_of(victim()) == "victim's own content";
  }
  fs::path root_;
};

TEST_F(planted_links, a_link_at_the_old_predictable_temporary_name_is_not_followed) {
  // Before: the temporary was `<name>.tmp.<pid>`, opened O_CREAT|O_TRUNC through any link there.
  plant_link_to_victim(inside() / ("report.json.tmp." + std::to_string(::getpid())));
  ASSERT_TRUE(write_file_atomically(inside() / "report.json", "new content"));
  EXPECT_TRUE(victim_untouched()) << contents_of(victim());
  EXPECT_EQ(contents_of(inside() / "report.json"), "new content");
}

TEST_F(planted_links, a_link_at_the_target_name_is_replaced_not_followed) {
  plant_link_to_victim(inside() / "report.json");
  ASSERT_TRUE(write_file_atomically(inside() / "report.json", "new content"));
  EXPECT_TRUE(victim_untouched());
  EXPECT_FALSE(fs::is_symlink(inside() / "report.json"));
  EXPECT_EQ(contents_of(inside() / "report.json"), "new content");
}

TEST_F(planted_links, a_folder_that_is_a_link_is_refused_naming_it) {
  fs::create_directory_symlink(inside(), root_ / "linked");
  const auto r = write_file_atomically(root_ / "linked" / "report.json", "new content");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("linked: is a symbolic link"), std::string::npos) << r.error();
  EXPECT_FALSE(fs::exists(inside() / "report.json"));
}

TEST_F(planted_links, a_child_directory_that_is_a_link_is_refused) {
  auto dir = safe_dir::open(inside(), false);
  ASSERT_TRUE(dir) << dir.error();
  fs::create_directory_symlink(root_, inside() / "index");
  const auto child = dir->open_child("index");
  ASSERT_FALSE(child);
  EXPECT_NE(child.error().find("is a symbolic link"), std::string::npos) << child.error();
}

TEST_F(planted_links, temporary_names_carry_128_random_bits_and_never_repeat) {
  auto dir = safe_dir::open(inside(), false);
  ASSERT_TRUE(dir) << dir.error();
  auto a = dir->create_temp(".x.tmp.");
  auto b = dir->create_temp(".x.tmp.");
  ASSERT_TRUE(a && b);
  ::close(a->fd);
  ::close(b->fd);
  EXPECT_NE(a->name, b->name);
  EXPECT_TRUE(std::regex_match(a->name, std::regex(R"(\.x\.tmp\.[0-9a-f]{32})"))) << a->name;
}

TEST_F(planted_links, read_gives_a_regular_file_but_refuses_a_link_naming_it) {
  auto dir = safe_dir::open(inside(), false);
  ASSERT_TRUE(dir) << dir.error();
  write_plain(inside() / "index", "0123456789");
  EXPECT_EQ(dir->read("index", 100).value_or("?"), "0123456789");
  EXPECT_EQ(dir->read("index", 4).value_or("?"), "0123");
  plant_link_to_victim(inside() / "planted");
  const auto r = dir->read("planted", 100);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("planted: is a symbolic link"), std::string::npos) << r.error();
  EXPECT_FALSE(dir->read("missing", 100));
}

TEST_F(planted_links, a_fifo_is_refused_by_read_without_waiting_for_a_writer) {
  auto dir = safe_dir::open(inside(), false);
  ASSERT_TRUE(dir) << dir.error();
  ASSERT_EQ(::mkfifo((inside() / "fifo").c_str(), 0600), 0);
  const auto r = dir->read("fifo", 100);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("not a regular file"), std::string::npos) << r.error();
}

TEST_F(planted_links, regular_file_size_does_not_follow_a_link) {
  auto dir = safe_dir::open(inside(), false);
  ASSERT_TRUE(dir) << dir.error();
  write_plain(inside() / "data", "12345");
  plant_link_to_victim(inside() / "planted");
  EXPECT_EQ(dir->regular_file_size("data"), std::optional<std::uint64_t>(5));
  EXPECT_EQ(dir->regular_file_size("planted"), std::nullopt);
  EXPECT_EQ(dir->regular_file_size("missing"), std::nullopt);
}

TEST(safe_dir, opening_a_missing_directory_without_create_fails_naming_it) {
  const auto dir = safe_dir::open("/nonexistent-rollproof/out", false);
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().find("/nonexistent-rollproof/out"), std::string::npos) << dir.error();
}

}  // namespace
}  // namespace rollproof
