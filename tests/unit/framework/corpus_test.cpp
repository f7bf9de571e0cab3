#include "rollproof/framework/corpus.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "rollproof/common/sha256.hpp"

namespace rollproof::framework {
namespace {

std::string bytes_of(file_type t, std::uint64_t size, std::uint64_t seed) {
  std::string all;
  generate_corpus_bytes(t, size, seed, [&](std::string_view block) { all.append(block); });
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
