#include "rollproof/upload/metrics.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

namespace rollproof::upload {
namespace {

struct sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses `{a="x",b="y"}` with the exposition format's escapes; fails the test on anything else.
std::map<std::string, std::string> parse_labels(std::string_view text) {
  std::map<std::string, std::string> labels;
  static const std::regex label_name{"[a-zA-Z_][a-zA-Z0-9_]*"};
  std::size_t i = 0;
  while (i < text.size()) {
    const auto eq = text.find('=', i);
    EXPECT_NE(eq, std::string_view::npos) << text;
    if (eq == std::string_view::npos) return labels;
    const std::string name{text.substr(i, eq - i)};
    EXPECT_TRUE(std::regex_match(name, label_name)) << "label name " << name;
    EXPECT_EQ(text[eq + 1], '"') << text;
    std::string value;
    std::size_t j = eq + 2;
    for (; j < text.size() && text[j] != '"'; ++j) {
      if (text[j] == '\\') {
        ++j;
        EXPECT_TRUE(text[j] == '\\' || text[j] == '"' || text[j] == 'n')
            << "bad escape in " << text;
        value += text[j] == 'n' ? '\n' : text[j];
      } else {
        EXPECT_NE(text[j], '\n');
        value += text[j];
      }
    }
    labels[name] = value;
    i = j + 1;
    if (i < text.size()) {
      EXPECT_EQ(text[i], ',') << text;
      ++i;
    }
  }
  return labels;
}

// Checks the text exposition rules line by line and returns the samples.
std::vector<sample> parse_exposition(const std::string& text,
                                     std::map<std::string, std::string>& types) {
  static const std::regex metric_name{"[a-zA-Z_:][a-zA-Z0-9_:]*"};
  std::vector<sample> samples;
  std::set<std::string> helped;
  std::istringstream in{text};
  std::string line;
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      std::istringstream words{line.substr(7)};
      std::string name, rest;
      words >> name >> rest;
      EXPECT_TRUE(std::regex_match(name, metric_name)) << line;
      if (line.starts_with("# HELP ")) {
        EXPECT_TRUE(helped.insert(name).second) << "HELP twice: " << line;
      } else {
        EXPECT_TRUE(types.emplace(name, rest).second) << "TYPE twice: " << line;
        EXPECT_TRUE(rest == "counter" || rest == "histogram" || rest == "gauge") << line;
      }
      continue;
    }
    EXPECT_FALSE(line.starts_with("#")) << line;
    sample s;
    const auto brace = line.find('{');
    const auto space = line.rfind(' ');
    EXPECT_NE(space, std::string::npos) << line;
    if (space == std::string::npos) continue;
    s.name = line.substr(0, std::min(brace, space));
    EXPECT_TRUE(std::regex_match(s.name, metric_name)) << line;
    if (brace != std::string::npos) {
      const auto close = line.rfind('}');
      s.labels = parse_labels(std::string_view{line}.substr(brace + 1, close - brace - 1));
    }
    s.value = std::stod(line.substr(space + 1));
    std::string family = s.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"})
      if (family.ends_with(suffix) && !types.contains(family))
        family = family.substr(0, family.size() - std::string_view{suffix}.size());
    EXPECT_TRUE(types.contains(family)) << "sample before its TYPE: " << line;
    samples.push_back(std::move(s));
  }
  return samples;
}

std::unique_ptr<metrics_registry> some_traffic() {
  auto owned = std::make_unique<metrics_registry>();
  auto& m = *owned;
  m.record_attempt(provider_kind::kimi, route::async, "server_error", 0.02);
  m.record_attempt(provider_kind::kimi, route::sync, "ok", 0.3);
  m.record_upload(provider_kind::kimi, route::sync, "ok", 1024, true, 0.4);
  m.record_attempt(provider_kind::glm, route::async, "ok", 7.0);
  m.record_upload(provider_kind::glm, route::async, "ok", 2048, false, 7.0);
  m.record_attempt(provider_kind::glm, route::sync, "auth", 100.0);
  m.record_upload(provider_kind::glm, route::sync, "auth", 10, false, 100.0);
  return owned;
}

TEST(metrics_registry, prometheus_text_follows_the_exposition_format) {
  std::map<std::string, std::string> types;
  const auto samples = parse_exposition(some_traffic()->to_prometheus(), types);
  EXPECT_EQ(types.at("rollproof_upload_uploads_total"), "counter");
  EXPECT_EQ(types.at("rollproof_upload_duration_seconds"), "histogram");
  EXPECT_GT(samples.size(), 20U);
}

TEST(metrics_registry, histograms_are_cumulative_and_end_with_inf_equal_to_count) {
  std::map<std::string, std::string> types;
  const auto samples = parse_exposition(some_traffic()->to_prometheus(), types);
  std::map<std::string, std::vector<sample>> buckets;
  std::map<std::string, double> counts, sums;
  auto series = [](const sample& s) {
    std::string key;
    for (const auto& [k, v] : s.labels)
      if (k != "le") key += k + "=" + v + ";";
    return key;
  };
  for (const auto& s : samples) {
    if (s.name == "rollproof_upload_duration_seconds_bucket") buckets[series(s)].push_back(s);
    if (s.name == "rollproof_upload_duration_seconds_count") counts[series(s)] = s.value;
    if (s.name == "rollproof_upload_duration_seconds_sum") sums[series(s)] = s.value;
  }
  ASSERT_EQ(buckets.size(), 3U);
  for (const auto& [key, list] : buckets) {
    ASSERT_FALSE(list.empty());
    EXPECT_EQ(list.back().labels.at("le"), "+Inf") << key;
    for (std::size_t i = 1; i < list.size(); ++i) {
      EXPECT_LE(list[i - 1].value, list[i].value) << key;
      EXPECT_LT(std::stod(list[i - 1].labels.at("le")),
                list[i].labels.at("le") == "+Inf" ? 1e300 : std::stod(list[i].labels.at("le")));
    }
    EXPECT_EQ(list.back().value, counts.at(key)) << key;
    EXPECT_TRUE(sums.contains(key)) << key;
  }
  // 100 s is beyond the last finite bucket: only +Inf holds it.
  const auto& slow = buckets.at("outcome=auth;provider=glm;route=sync;");
  EXPECT_EQ(slow[slow.size() - 2].value, 0);
  EXPECT_EQ(slow.back().value, 1);
}

TEST(escape_label_value, escapes_backslash_quote_and_newline) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  metrics_registry m;
  m.record_upload(provider_kind::kimi, route::async, "odd\"\\\nname", 1, false, 0.1);
  std::map<std::string, std::string> types;
  const auto samples = parse_exposition(m.to_prometheus(), types);
  bool found = false;
  for (const auto& s : samples)
    if (s.labels.contains("outcome") && s.labels.at("outcome") == "odd\"\\\nname") found = true;
  EXPECT_TRUE(found);
}

TEST(metrics_registry, json_totals_count_uploads_attempts_and_fallbacks_per_provider_and_route) {
  const auto json = some_traffic()->to_json();
  const auto& totals = json.at("totals").as_object();
  const auto& kimi_sync = totals.at("kimi").at("sync").as_object();
  EXPECT_EQ(kimi_sync.at("uploads_ok").to_number<int>(), 1);
  EXPECT_EQ(kimi_sync.at("fallbacks").to_number<int>(), 1);
  EXPECT_EQ(kimi_sync.at("attempts").to_number<int>(), 1);
  EXPECT_EQ(totals.at("kimi").at("async").at("attempts").to_number<int>(), 1);
  EXPECT_EQ(totals.at("kimi").at("async").at("uploads_ok").to_number<int>(), 0);
  const auto& glm_sync = totals.at("glm").at("sync").as_object();
  EXPECT_EQ(glm_sync.at("uploads_failed").to_number<int>(), 1);
  EXPECT_EQ(glm_sync.at("bytes_ok").to_number<int>(), 0);
  EXPECT_EQ(totals.at("glm").at("async").at("bytes_ok").to_number<int>(), 2048);
}

}  // namespace
}  // namespace rollproof::upload
