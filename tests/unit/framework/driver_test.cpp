#include "rollproof/framework/driver.hpp"

#include <gtest/gtest.h>

#include <set>

namespace rollproof::framework {
namespace {

case_spec route_case() {
  case_spec c;
  c.route = "async";
  c.uploads = 100;
  return c;
}

case_spec stage_case(std::uint32_t users) {
  case_spec c;
  c.rollout = stage{10, users, 100};
  c.uploads = 100;
  return c;
}

TEST(user_for_upload, gives_every_upload_of_a_route_case_its_own_user) {
  std::set<std::string> users;
  for (std::uint64_t i = 0; i < 100; ++i)
    users.insert(user_for_upload(42, route_case(), i));
  EXPECT_EQ(users.size(), 100u);
  EXPECT_TRUE(users.begin()->starts_with("user-"));
  EXPECT_EQ(users.begin()->size(), 11u);
}

TEST(user_for_upload, cycles_over_the_stage_users_and_keeps_them_across_stages) {
  std::set<std::string> users;
  for (std::uint64_t i = 0; i < 100; ++i)
    users.insert(user_for_upload(42, stage_case(7), i));
  EXPECT_EQ(users.size(), 7u);
  EXPECT_EQ(user_for_upload(42, stage_case(7), 3), user_for_upload(42, stage_case(50), 3));
}

TEST(user_for_upload, depends_on_the_seed) {
  EXPECT_EQ(user_for_upload(1, route_case(), 0), user_for_upload(1, route_case(), 0));
  EXPECT_NE(user_for_upload(1, route_case(), 0), user_for_upload(2, route_case(), 0));
}

}  // namespace
}  // namespace rollproof::framework
