// The mock's exposure: loopback by default, an admin API that can require a token, and no way for
// a huge declared body, endless headers or slow-loris clients to stop it answering others.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mock_client.hpp"

namespace {

using namespace rollproof::mock::testing;
using namespace std::chrono_literals;

int port_of(const std::string& url) {
  return std::stoi(url.substr(url.rfind(':') + 1));
}

// The local address (hex, as /proc/net/tcp writes it) of the socket listening on `port`.
std::string listening_address_of(int port) {
  char port_hex[8];
  std::snprintf(port_hex, sizeof port_hex, "%04X", static_cast<unsigned>(port));
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      if (state == "0A" && local.ends_with(std::string(":") + port_hex))
        return local.substr(0, local.find(':'));
    }
  }
  return "";
}

// A raw TCP connection to 127.0.0.1:port, closed on destruction.
class raw_client {
 public:
  explicit raw_client(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{0, 200'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~raw_client() { ::close(fd_); }
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;
  [[nodiscard]] bool connected() const { return connected_; }
  // False once the server closed or reset the connection.
  bool send_text(const std::string& s) {
    return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }
  // What arrived within the receive timeout; "" on timeout, "<closed>" when the server closed.
  std::string receive() {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) return "<closed>";
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? "" : "<closed>";
    return std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  int fd_;
  bool connected_ = false;
};

bool health_answers(const mock_process& mock) {
  return request("GET", mock.url() + "/_mock/health", {}, std::nullopt, 5'000).status == 200;
}

}  // namespace

TEST(mock_exposure, binds_loopback_only_by_default) {
  mock_process mock({"--provider", "kimi"});
  EXPECT_TRUE(mock.url().starts_with("http://127.0.0.1:")) << mock.url();
  // 0100007F is 127.0.0.1 in /proc/net/tcp's byte order; 00000000 would be every interface.
  EXPECT_EQ(listening_address_of(port_of(mock.url())), "0100007F");
}

TEST(mock_exposure, admin_api_refuses_requests_without_the_configured_token) {
  mock_process mock({"--admin-token", "admin-s3cret"});
  const auto ledger = mock.url() + "/_mock/ledger";
  EXPECT_EQ(request("GET", ledger).status, 401);
  EXPECT_EQ(request("GET", ledger, {"X-Mock-Admin-Token: wrong"}).status, 401);
  EXPECT_EQ(request("GET", ledger, {"Authorization: Bearer wrong"}).status, 401);
  EXPECT_EQ(request("POST", mock.url() + "/_mock/reset").status, 401);
  EXPECT_EQ(request("PUT", mock.url() + "/_mock/faults", {}, R"({"rules":[]})").status, 401);
  EXPECT_EQ(request("GET", ledger, {"X-Mock-Admin-Token: admin-s3cret"}).status, 200);
  EXPECT_EQ(request("GET", ledger, {"Authorization: Bearer admin-s3cret"}).status, 200);
}

TEST(mock_exposure, admin_api_is_open_without_a_token) {
  mock_process mock(std::vector<std::string>{});
  EXPECT_EQ(request("GET", mock.url() + "/_mock/ledger").status, 200);
}

TEST(mock_exposure, a_huge_declared_body_is_refused_before_it_is_read) {
  mock_process mock({"--api-key", "sk-test"});
  raw_client c(port_of(mock.url()));
  ASSERT_TRUE(c.connected());
  c.send_text(
      "POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-test\r\n"
      "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000000000000\r\n\r\n");
  std::string answer;
  for (int i = 0; i < 25 && answer.empty(); ++i)
    answer = c.receive();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 4") || answer == "<closed>") << answer;
  EXPECT_TRUE(health_answers(mock));
}

TEST(mock_exposure, endless_headers_get_431_and_the_mock_keeps_answering) {
  mock_process mock(std::vector<std::string>{});
  raw_client c(port_of(mock.url()));
  ASSERT_TRUE(c.connected());
  c.send_text("GET /v1/files HTTP/1.1\r\nHost: x\r\n");
  std::string answer;
  // Up to 1 MiB of header lines; the mock must cut this off long before (16 KiB head limit).
  for (int i = 0; i < 1024 && answer.empty(); ++i) {
    if (!c.send_text("X-Filler-" + std::to_string(i) + ": " + std::string(1000, 'a') + "\r\n")) {
      answer = "<closed>";
      break;
    }
    if (i % 16 == 15) answer = c.receive();
  }
  if (answer.empty()) answer = c.receive();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 431") || answer == "<closed>") << answer;
  EXPECT_TRUE(health_answers(mock));
}

TEST(mock_exposure, slow_loris_clients_are_dropped_and_health_stays_answered_meanwhile) {
  mock_process mock({"--read-timeout-ms", "1500"});
  std::vector<std::unique_ptr<raw_client>> loris;
  for (int i = 0; i < 64; ++i) {
    loris.push_back(std::make_unique<raw_client>(port_of(mock.url())));
    ASSERT_TRUE(loris.back()->connected());
    loris.back()->send_text("GET /v1/files HTTP/1.1\r\n");
  }
  // One header byte per client every 100 ms: never a complete head.
  int health_ok = 0;
  for (int round = 0; round < 10; ++round) {
    for (auto& c : loris)
      c->send_text("X");
    if (health_answers(mock)) ++health_ok;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(health_ok, 10);
  // After the read timeout every slow client has been cut off.
  std::this_thread::sleep_for(2500ms);
  int closed = 0;
  for (auto& c : loris) {
    c->send_text("X");
    std::string got = c->receive();
    if (got == "<closed>" || got.starts_with("HTTP/1.1 4")) ++closed;
  }
  EXPECT_EQ(closed, 64);
  EXPECT_TRUE(health_answers(mock));
}
