#include "rollproof/common/redact.hpp"

#include <gtest/gtest.h>

namespace rollproof {
namespace {

TEST(redactor, replaces_every_occurrence_of_every_secret) {
  redactor r;
  r.add("sk-secret-1");
  r.add("glm.key");
  EXPECT_EQ(r.redact("a sk-secret-1 b glm.key c sk-secret-1"),
            "a [REDACTED] b [REDACTED] c [REDACTED]");
  EXPECT_TRUE(r.leaks("xx glm.key"));
  EXPECT_FALSE(r.leaks("nothing here"));
}

TEST(redactor, replaces_a_longer_secret_whole_when_it_contains_a_shorter_one) {
  redactor r;
  r.add("sk-a");
  r.add("sk-abcdef");
  EXPECT_EQ(r.redact("key=sk-abcdef"), "key=[REDACTED]");
}

TEST(redactor, ignores_empty_secrets) {
  redactor r;
  r.add("");
  EXPECT_EQ(r.redact("text"), "text");
  EXPECT_TRUE(r.secrets().empty());
}

}  // namespace
}  // namespace rollproof
