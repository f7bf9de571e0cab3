#include "rollproof/framework/corpus.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "rollproof/common/sha256.hpp"

namespace rollproof::framework {
namespace {

std::string bytes_of(file_type t, std::uint64_t size, std::uint64_t seed) {
  std::string all;
  EXPECT_TRUE(generate_corpus_bytes(t, size, seed, [&](std::string_view block) {
    all.append(block);
    return true;
  }));
  return all;
}

constexpr file_type all_types[] = {file_type::text,     file_type::json,   file_type::csv,
                                   file_type::markdown, file_type::python, file_type::binary};
constexpr std::uint64_t some_sizes[] = {0, 1, 2, 3, 100, 1023, 1024, 4097, 65536, 1048576 + 17};

TEST(generate_corpus_bytes, gives_exactly_the_asked_size_for_every_type) {
  for (auto t : all_types)
    for (auto size : some_sizes)
      EXPECT_EQ(bytes_of(t, size, 1).size(), size) << to_string(t) << " " << size;
}

TEST(generate_corpus_bytes, is_deterministic_per_seed_and_differs_between_seeds) {
  for (auto t : all_types) {
    EXPECT_EQ(bytes_of(t, 50'000, 7), bytes_of(t, 50'000, 7)) << to_string(t);
    EXPECT_NE(bytes_of(t, 50'000, 7), bytes_of(t, 50'000, 8)) << to_string(t);
  }
}

TEST(generate_corpus_bytes, writes_json_that_parses_at_every_size) {
  for (auto size : some_sizes) {
    if (size < 1) continue;
    boost::system::error_code ec;
    const auto v = boost::json::parse(bytes_of(file_type::json, size, 3), ec);
    EXPECT_FALSE(ec) << size << ": " << ec.message();
    if (size >= 4096) {
      EXPECT_GT(v.as_array().size(), 10u);
    }
  }
}

TEST(generate_corpus_bytes, writes_csv_with_a_header_and_rows_of_equal_width) {
  const std::string csv = bytes_of(file_type::csv, 100'000, 5);
  EXPECT_TRUE(csv.starts_with("id,name,email,amount,created,comment\n"));
  std::size_t rows = 0, start = 0;
  while (start < csv.size()) {
    const auto end = csv.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string row = csv.substr(start, end - start);
    // Five separators outside the quoted comment, which is last.
    const auto quote = row.find('"');
    const std::string fields = quote == std::string::npos ? row : row.substr(0, quote);
    EXPECT_EQ(std::count(fields.begin(), fields.end(), ','), 5) << row;
    ++rows;
    start = end + 1;
  }
  EXPECT_GT(rows, 100u);
}

TEST(generate_corpus_bytes, writes_markdown_python_and_text_that_look_like_their_type) {
  const std::string md = bytes_of(file_type::markdown, 20'000, 2);
  EXPECT_TRUE(md.starts_with("# "));
  EXPECT_NE(md.find("\n## "), std::string::npos);
  const std::string py = bytes_of(file_type::python, 20'000, 2);
  EXPECT_TRUE(py.starts_with("\"\"\""));
  EXPECT_NE(py.find("\ndef "), std::string::npos);
  EXPECT_TRUE(py.ends_with("\n"));
  const std::string text = bytes_of(file_type::text, 20'000, 2);
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_TRUE(text.ends_with("\n"));
}

TEST(generate_corpus_bytes, stops_at_the_first_block_the_sink_refuses_for_every_type) {
  for (const auto type : all_types) {
    SCOPED_TRACE(to_string(type));
    std::size_t blocks = 0;
    // 16 GiB: generating it all after the refusal (as before) would take minutes per type.
    const bool complete = generate_corpus_bytes(type, 16ull << 30, 1, [&](std::string_view) {
      ++blocks;
      return false;
    });
    EXPECT_FALSE(complete);
    EXPECT_EQ(blocks, 1u);
  }
}

// The names of the files in `dir` (the corpus's own, temporary or not).
std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path().filename().string());
  return out;
}

// Lowers the largest file this process may write (RLIMIT_FSIZE) while it lives, so that a write
// fails with EFBIG as on a full disk; SIGXFSZ is ignored meanwhile.
class file_size_limit {
 public:
  explicit file_size_limit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lowered);
  }
  ~file_size_limit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }
  file_size_limit(const file_size_limit&) = delete;
  file_size_limit& operator=(const file_size_limit&) = delete;

 private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

class corpus_dir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("rollproof-corpus-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(corpus_dir, stores_files_under_their_sha256_and_reuses_them) {
  corpus c(dir_);
  const auto f = c.get(file_type::csv, 300'000, 11);
  ASSERT_TRUE(f) << f.error();
  EXPECT_EQ(f->path, dir_ / (f->sha256 + ".csv"));
  EXPECT_EQ(std::filesystem::file_size(f->path), 300'000u);
  EXPECT_EQ(sha256_file(f->path).value(), f->sha256);
  corpus again(dir_);  // a later run finds it through the index
  const auto g = again.get(file_type::csv, 300'000, 11);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->path, f->path);
}

TEST_F(corpus_dir, regenerates_a_cached_file_of_the_wrong_size) {
  corpus c(dir_);
  const auto f = c.get(file_type::binary, 10'000, 1);
  ASSERT_TRUE(f);
  std::filesystem::resize_file(f->path, 10);
  corpus again(dir_);
  const auto g = again.get(file_type::binary, 10'000, 1);
  ASSERT_TRUE(g);
  EXPECT_EQ(std::filesystem::file_size(g->path), 10'000u);
  EXPECT_EQ(sha256_file(g->path).value(), f->sha256);
}

TEST_F(corpus_dir, stops_on_the_first_failed_write_naming_the_cause_and_removes_the_partial_file) {
  corpus c(dir_);
  std::expected<corpus_file, std::string> f;
  {
    const file_size_limit limit(4 << 20);
    f = c.get(file_type::binary, 64 << 20, 3);
  }
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("cannot write"), std::string::npos) << f.error();
  EXPECT_NE(f.error().find("File too large"), std::string::npos) << f.error();
  EXPECT_EQ(files_in(dir_), std::vector<std::string>{});
}

TEST_F(corpus_dir, stops_a_generation_when_the_stop_signal_is_set_and_leaves_no_file) {
  const std::atomic<int> stop{SIGTERM};
  corpus c(dir_, &stop);
  const auto f = c.get(file_type::binary, 16ull << 30, 4);  // 16 GiB: never written
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("stopped by signal 15"), std::string::npos) << f.error();
  EXPECT_EQ(files_in(dir_), std::vector<std::string>{});
}

}  // namespace
}  // namespace rollproof::framework

namespace rollproof::framework {
namespace {

TEST_F(corpus_dir, a_link_planted_at_the_old_predictable_temporary_name_is_not_followed) {
  std::filesystem::create_directories(dir_);
  const auto victim =
      dir_.parent_path() / ("rollproof-corpus-victim-" + std::to_string(::getpid()));
  std::ofstream(victim) << "outside";
  // Before: the temporary was `.tmp-<type>-<size>-<seed>`, opened "wb" through any link there.
  std::filesystem::create_symlink(victim, dir_ / ".tmp-text-4096-7");
  corpus c(dir_);
  const auto f = c.get(file_type::text, 4096, 7);
  ASSERT_TRUE(f) << f.error();
  std::ifstream in(victim);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "outside");
  EXPECT_EQ(std::filesystem::file_size(f->path), 4096u);
  std::filesystem::remove(victim);
}

TEST_F(corpus_dir, a_link_planted_at_a_cached_file_is_not_served_and_the_file_is_made_again) {
  const auto first = corpus(dir_).get(file_type::text, 4096, 7);
  ASSERT_TRUE(first) << first.error();
  const auto victim =
      dir_.parent_path() / ("rollproof-corpus-victim-" + std::to_string(::getpid()));
  std::ofstream(victim) << std::string(4096, 's');  // the right size, someone else's bytes
  std::filesystem::remove(first->path);
  std::filesystem::create_symlink(victim, first->path);
  const auto again = corpus(dir_).get(file_type::text, 4096, 7);
  ASSERT_TRUE(again) << again.error();
  EXPECT_FALSE(std::filesystem::is_symlink(again->path)) << again->path;
  EXPECT_EQ(sha256_file(again->path).value(), first->sha256);
  std::ifstream in(victim);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), std::string(4096, 's'));
  std::filesystem::remove(victim);
}

TEST_F(corpus_dir, a_link_planted_at_an_index_entry_is_not_read) {
  const auto first = corpus(dir_).get(file_type::text, 4096, 7);
  ASSERT_TRUE(first) << first.error();
  // A planted file of the right size under a made-up digest, and an index entry, outside the
  // cache, that names it: following the link would serve the planted bytes as the corpus file.
  const std::string planted_digest(64, 'a');
  std::ofstream(dir_ / (planted_digest + ".txt")) << std::string(4096, 'p');
  const auto outside =
      dir_.parent_path() / ("rollproof-corpus-index-" + std::to_string(::getpid()));
  std::ofstream(outside) << planted_digest << "\n";
  const auto entry = dir_ / "index" / "text-4096-7";
  std::filesystem::remove(entry);
  std::filesystem::create_symlink(outside, entry);
  const auto again = corpus(dir_).get(file_type::text, 4096, 7);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->sha256, first->sha256);
  EXPECT_EQ(again->path, first->path);
  EXPECT_FALSE(std::filesystem::is_symlink(entry));  // replaced by the real entry
  std::filesystem::remove(outside);
}

TEST_F(corpus_dir, a_cache_directory_that_is_a_link_is_refused) {
  const auto elsewhere = dir_.string() + "-elsewhere";
  std::filesystem::create_directories(elsewhere);
  std::filesystem::create_directory_symlink(elsewhere, dir_);
  corpus c(dir_);
  const auto f = c.get(file_type::text, 4096, 7);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("is a symbolic link"), std::string::npos) << f.error();
  EXPECT_TRUE(std::filesystem::is_empty(elsewhere));
  std::filesystem::remove(dir_);
  std::filesystem::remove_all(elsewhere);
}

}  // namespace
}  // namespace rollproof::framework
