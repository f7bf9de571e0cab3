#include "rollproof/mock/ledger.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::mock {
namespace {

ledger_entry upload_entry(unsigned status, std::optional<std::string> fault = std::nullopt) {
  ledger_entry e;
  e.method = "POST";
  e.path = "/v1/files";
  e.status = status;
  e.fault = std::move(fault);
  e.body_bytes = 10;
  return e;
}

TEST(route_of, reads_the_route_from_a_user_agent) {
  EXPECT_EQ(route_of("rollproof-upload/0.1 (route=async)"), "async");
  EXPECT_EQ(route_of("x (route=sync) y"), "sync");
  EXPECT_EQ(route_of("curl/7.88.1"), std::nullopt);
  EXPECT_EQ(route_of("x (route=)"), std::nullopt);
  EXPECT_EQ(route_of("x (route=async"), std::nullopt);
}

TEST(ledger, serialises_every_field_with_nulls_for_unknowns) {
  ledger_entry e = upload_entry(200);
  e.request_id = "r-1";
  e.sha256 = "ab";
  e.bytes = 5;
  const auto j = to_json(e);
  for (const char* key :
       {"seq", "request_id", "method", "path", "status", "file_id", "filename", "purpose", "bytes",
        "sha256", "user_agent", "route", "fault", "api_version", "duration_us"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.at("request_id"), "r-1");
  EXPECT_TRUE(j.at("file_id").is_null());
  EXPECT_EQ(j.at("bytes"), 5);
  EXPECT_TRUE(j.at("api_version").is_null());
  e.api_version = "2026-09-01-beta";
  EXPECT_EQ(to_json(e).at("api_version"), "2026-09-01-beta");
}

TEST(ledger, numbers_entries_and_returns_those_after_a_seq) {
  ledger l;
  EXPECT_EQ(l.record(upload_entry(200)), 1u);
  EXPECT_EQ(l.record(upload_entry(503, "flaky")), 2u);
  EXPECT_EQ(l.record(upload_entry(200)), 3u);
  const auto after_one = l.since(1);
  ASSERT_EQ(after_one.size(), 2u);
  EXPECT_EQ(after_one[0].at("seq"), 2);
  EXPECT_EQ(after_one[0].at("fault"), "flaky");
  EXPECT_EQ(l.since(3).size(), 0u);
}

TEST(ledger, counts_statuses_faults_and_bytes) {
  ledger l;
  l.record(upload_entry(200));
  l.record(upload_entry(503, "flaky"));
  l.record(upload_entry(503, "flaky"));
  const auto s = l.stats();
  EXPECT_EQ(s.at("requests"), 3);
  EXPECT_EQ(s.at("by_status").at("503"), 2);
  EXPECT_EQ(s.at("by_fault").at("flaky"), 2);
  EXPECT_EQ(s.at("bytes_in"), 30);
}

TEST(ledger, keeps_seq_increasing_across_a_clear) {
  ledger l;
  l.record(upload_entry(200));
  l.clear();
  EXPECT_EQ(l.since(0).size(), 0u);
  EXPECT_EQ(l.stats().at("requests"), 0);
  EXPECT_EQ(l.record(upload_entry(200)), 2u);
}

}  // namespace
}  // namespace rollproof::mock
