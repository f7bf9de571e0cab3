#pragma once
// Test harness: real rollproof-mock and rollproof-upload processes on 127.0.0.1, each reaped.

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/process.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "test_paths.hpp"

namespace rollproof::upload::testing {

namespace bp = boost::process;

using rollproof::testing::bin_dir;

// A temporary directory removed with everything in it.
class temp_dir {
 public:
  temp_dir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("rollproof-upload-it-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  // Writes `size` deterministic pseudo-random bytes and returns the file's path.
  std::filesystem::path file_of(std::string name, std::size_t size, unsigned seed = 1) const {
    std::string bytes(size, '\0');
    std::mt19937 rng{seed};
    for (auto& b : bytes)
      b = static_cast<char>(rng() & 0xFF);
    const auto p = path_ / name;
    std::ofstream{p, std::ios::binary}.write(bytes.data(),
                                             static_cast<std::streamsize>(bytes.size()));
    return p;
  }

 private:
  std::filesystem::path path_;
};

// A blocking HTTP exchange with the mock's admin API.
inline std::string http(const std::string& method, const std::string& url,
                        const std::string& body = {}) {
  CURL* easy = curl_easy_init();
  std::string response;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!body.empty() || method == "PUT" || method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  }
  curl_easy_setopt(
      easy, CURLOPT_WRITEFUNCTION, +[](char* d, std::size_t s, std::size_t n, void* out) {
        static_cast<std::string*>(out)->append(d, s * n);
        return s * n;
      });
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT, 30L);
  const auto rc = curl_easy_perform(easy);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  EXPECT_EQ(rc, CURLE_OK) << method << " " << url;
  return response;
}

// rollproof-mock for one provider, on a port of its choosing.
class mock_server {
 public:
  mock_server(std::string provider, std::string api_key)
      : provider_{std::move(provider)},
        child_{(bin_dir() / "rollproof-mock").string(),
               "--provider",
               provider_,
               "--listen",
               "127.0.0.1:0",
               "--api-key",
               api_key,
               "--seed",
               "7",
               bp::std_out > out_,
               bp::std_err > bp::null} {
    std::string line;
    while (std::getline(out_, line)) {
      if (line.starts_with("READY ")) {
        url_ = line.substr(6);
        break;
      }
    }
  }
  ~mock_server() {
    if (child_.running()) child_.terminate();
    child_.wait();
  }
  bool ready() const { return !url_.empty(); }
  std::string base_url() const { return url_ + (provider_ == "kimi" ? "/v1" : "/api/paas/v4"); }
  boost::json::array ledger() const {
    return boost::json::parse(http("GET", url_ + "/_mock/ledger")).as_array();
  }
  void put_faults(const std::string& json) const { http("PUT", url_ + "/_mock/faults", json); }

 private:
  std::string provider_;
  bp::ipstream out_;
  bp::child child_;
  std::string url_;
};

// rollproof-upload speaking the subject protocol over its stdin/stdout; stderr goes to a file.
class subject_process {
 public:
  explicit subject_process(const std::filesystem::path& dir,
                           bp::environment env = boost::this_process::environment())
      : stderr_path_{dir / "subject.stderr"},
        child_{(bin_dir() / "rollproof-upload").string(), bp::std_in<in_, bp::std_out> out_,
               bp::std_err > stderr_path_.string(), env} {}
  ~subject_process() {
    if (child_.running()) child_.terminate();
    child_.wait();
  }
  void send_line(const std::string& line) {
    in_ << line << '\n';
    in_.flush();
  }
  void send(const boost::json::object& request) { send_line(boost::json::serialize(request)); }
  // The next response line, whatever it answers.
  boost::json::object next_response() {
    std::string line;
    if (!std::getline(out_, line)) return {};
    stdout_ += line + "\n";
    return boost::json::parse(line).as_object();
  }
  // The response with this id; answers to other ids met on the way are kept for later.
  boost::json::object answer_to(const std::string& id) {
    if (auto it = pending_.find(id); it != pending_.end()) {
      auto r = std::move(it->second);
      pending_.erase(it);
      return r;
    }
    for (;;) {
      auto r = next_response();
      if (r.empty()) return r;
      const auto* rid = r.if_contains("id");
      if (rid && rid->is_string() && rid->get_string() == id) return r;
      pending_[rid && rid->is_string() ? std::string{rid->get_string()} : std::string{}] = r;
    }
  }
  boost::json::object call(boost::json::object request) {
    const std::string id{request.at("id").as_string()};
    send(request);
    return answer_to(id);
  }
  // Closes stdin and returns the exit code.
  int close_and_wait() {
    in_.pipe().close();
    std::string line;
    while (std::getline(out_, line))
      stdout_ += line + "\n";
    child_.wait();
    return child_.exit_code();
  }
  const std::string& stdout_text() const { return stdout_; }
  std::string stderr_text() const {
    std::ifstream in{stderr_path_};
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::filesystem::path stderr_path_;
  bp::opstream in_;
  bp::ipstream out_;
  bp::child child_;
  std::string stdout_;
  std::map<std::string, boost::json::object> pending_;
};

}  // namespace rollproof::upload::testing
