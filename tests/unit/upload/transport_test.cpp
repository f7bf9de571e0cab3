#include "rollproof/upload/transport.hpp"

#include <gtest/gtest.h>

namespace rollproof::upload {
namespace {

TEST(user_agent, names_the_version_and_ends_with_the_route) {
  EXPECT_EQ(user_agent(route::async),
            std::string{"rollproof-upload/"} + ROLLPROOF_UPLOAD_VERSION + " (route=async)");
  EXPECT_TRUE(user_agent(route::sync).ends_with("(route=sync)"));
}

}  // namespace
}  // namespace rollproof::upload
