#include "rollproof/mock/file_store.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rollproof::mock {
namespace {

stored_file file_named(std::string id, std::string purpose = "file-extract") {
  stored_file f;
  f.id = std::move(id);
  f.purpose = std::move(purpose);
  return f;
}

TEST(file_store, adds_finds_lists_in_order_and_counts_by_purpose) {
  file_store store;
  store.add(file_named("a"));
  store.add(file_named("b", "batch"));
  ASSERT_NE(store.get("b"), nullptr);
  EXPECT_EQ(store.get("zz"), nullptr);
  const auto all = store.list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->id, "a");
  EXPECT_LT(all[0]->order, all[1]->order);
  EXPECT_EQ(store.count(), 2u);
  EXPECT_EQ(store.count("batch"), 1u);
}

TEST(file_store, removes_a_file_and_its_bytes_on_disk) {
  const auto path = std::filesystem::temp_directory_path() / "rollproof-file-store-test.bin";
  std::ofstream(path) << "bytes";
  file_store store;
  auto f = file_named("a");
  f.path = path;
  store.add(std::move(f));
  EXPECT_TRUE(store.remove("a"));
  EXPECT_FALSE(store.remove("a"));
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace rollproof::mock
