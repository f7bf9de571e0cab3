#include "mock_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "test_paths.hpp"

namespace rollproof::mock::testing {

namespace bp = boost::process;

namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t append_header(char* data, std::size_t size, std::size_t n, void* out) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

http_result perform(CURL* curl, curl_slist* headers) {
  http_result r;
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  r.curl_code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &r.seconds);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}

curl_slist* header_list(const std::vector<std::string>& headers) {
  curl_slist* list = nullptr;
  for (const auto& h : headers)
    list = curl_slist_append(list, h.c_str());
  return list;
}

}  // namespace

std::string mock_binary() {
  return (rollproof::testing::bin_dir() / "rollproof-mock").string();
}

namespace {

bp::child start_mock(const std::vector<std::string>& args, bp::ipstream& out,
                     const std::optional<std::filesystem::path>& stderr_file) {
  if (stderr_file)
    return bp::child(mock_binary(), bp::args(args), bp::std_out > out,
                     bp::std_err > stderr_file->string());
  return bp::child(mock_binary(), bp::args(args), bp::std_out > out);
}

}  // namespace

mock_process::mock_process(std::vector<std::string> args,
                           const std::optional<std::filesystem::path>& stderr_file)
    : child_(start_mock(args, out_, stderr_file)) {
  std::string line;
  if (!std::getline(out_, line) || !line.starts_with("READY ")) {
    child_.terminate();
    child_.wait();
    throw std::runtime_error("rollproof-mock did not print READY, got '" + line + "'");
  }
  url_ = line.substr(6);
}

mock_process::~mock_process() {
  if (child_.valid() && child_.running()) terminate_and_wait();
}

int mock_process::terminate_and_wait() {
  ::kill(child_.id(), SIGTERM);
  child_.wait();
  return child_.exit_code();
}

boost::json::value http_result::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value() : v;
}

http_result request(const std::string& method, const std::string& url,
                    std::vector<std::string> headers, std::optional<std::string> body,
                    long timeout_ms) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  return perform(curl, header_list(headers));
}

http_result get(const std::string& url, const std::string& key) {
  return request("GET", url, {"Authorization: Bearer " + key});
}

http_result upload(const std::string& url, const upload_request& u) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, u.timeout_ms);
  curl_mime* mime = curl_mime_init(curl);
  auto add_purpose = [&] {
    if (!u.send_purpose) return;
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, "purpose");
    curl_mime_data(part, u.purpose.data(), u.purpose.size());
  };
  if (u.purpose_first) add_purpose();
  curl_mimepart* file = curl_mime_addpart(mime);
  curl_mime_name(file, "file");
  curl_mime_data(file, u.content.data(), u.content.size());
  curl_mime_filename(file, u.filename.c_str());
  curl_mime_type(file, "application/octet-stream");
  if (!u.purpose_first) add_purpose();
  for (const auto& [name, value] : u.fields) {
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
  std::vector<std::string> headers = u.headers;
  headers.push_back("Authorization: Bearer " + u.api_key);
  if (u.chunked) headers.push_back("Transfer-Encoding: chunked");
  auto r = perform(curl, header_list(headers));
  curl_mime_free(mime);
  return r;
}

boost::json::array ledger_of(const mock_process& mock, std::uint64_t since) {
  const auto r = request("GET", mock.url() + "/_mock/ledger?since=" + std::to_string(since));
  const auto v = r.json();
  return v.is_array() ? v.as_array() : boost::json::array();
}

raw_connection::raw_connection(const mock_process& mock) {
  const auto colon = mock.url().rfind(':');
  const auto port = static_cast<std::uint16_t>(std::stoi(mock.url().substr(colon + 1)));
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect() to the mock failed");
  }
}

raw_connection::~raw_connection() {
  ::close(fd_);
}

bool raw_connection::send(std::string_view bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string raw_connection::receive_some(long timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout_ms)) != 1) return {};
  char buffer[65536];
  const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
}

std::string raw_connection::receive_all(long timeout_ms) {
  std::string answer;
  while (true) {
    const auto some = receive_some(timeout_ms);
    if (some.empty()) return answer;
    answer += some;
  }
}

std::string raw_exchange(const mock_process& mock, std::string_view bytes, long timeout_ms) {
  raw_connection c(mock);
  c.send(bytes);
  return c.receive_all(timeout_ms);
}

std::string binary_content(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& ch : out)
    ch = static_cast<char>(rng());
  return out;
}

}  // namespace rollproof::mock::testing
