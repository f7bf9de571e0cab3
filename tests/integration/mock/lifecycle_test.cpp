// rollproof-mock as a process: READY line, loopback bind, SIGTERM drain, bad input, header limits.

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <fstream>
#include <thread>

#include "mock_client.hpp"

namespace rollproof::mock::testing {
namespace {

namespace bp = boost::process;

TEST(mock_lifecycle, prints_a_loopback_ready_url_with_a_real_port) {
  mock_process mock({"--provider", "glm"});
  EXPECT_TRUE(mock.url().starts_with("http://127.0.0.1:"));
  EXPECT_NE(mock.url(), "http://127.0.0.1:0");
}

TEST(mock_lifecycle, exits_0_on_sigterm) {
  mock_process mock({"--provider", "kimi"});
  EXPECT_EQ(get(mock.url() + "/v1/files").status, 200);
  EXPECT_EQ(mock.terminate_and_wait(), 0);
}

TEST(mock_lifecycle, exits_0_on_sigterm_with_a_stalled_request_held) {
  mock_process mock({"--provider", "kimi"});
  request("PUT", mock.url() + "/_mock/faults", {},
          R"({"rules":[{"name":"s","match":{"method":"GET"},"action":{"kind":"stall"}}]})");
  std::thread client([&] {
    request("GET", mock.url() + "/v1/files", {"Authorization: Bearer k"}, std::nullopt, 10'000);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(mock.terminate_and_wait(), 0);
  client.join();
}

TEST(mock_lifecycle, refuses_a_bad_fault_file_with_file_line_col_and_exit_2) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("rollproof-badfaults-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[[rules]]\nname = \"x\"\naction = { kind = \"nope\" }\n";
  bp::ipstream err;
  const std::string bin = mock_binary();
  bp::child c(bin, bp::args({"--faults", path.string()}), bp::std_out > bp::null,
              bp::std_err > err);
  std::string line;
  std::getline(err, line);
  c.wait();
  EXPECT_EQ(c.exit_code(), 2);
  EXPECT_EQ(
      line.rfind(path.string() + ":3:12: rules[0].action.kind: unknown action kind 'nope'", 0), 0u)
      << line;
  std::filesystem::remove(path);
}

TEST(mock_lifecycle, answers_431_to_endless_headers) {
  mock_process mock({"--provider", "kimi"});
  const auto r = request("GET", mock.url() + "/v1/files", {"X-Big: " + std::string(40000, 'a')});
  EXPECT_EQ(r.status, 431);
}

TEST(mock_lifecycle, drops_a_slow_loris_after_the_read_timeout) {
  mock_process mock({"--provider", "kimi", "--read-timeout-ms", "300"});
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  const auto port =
      static_cast<unsigned short>(std::stoi(mock.url().substr(mock.url().rfind(':') + 1)));
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(socket, net::buffer(std::string("GET /v1/files HTTP/1.1\r\nHost: x\r\n")));
  char byte;
  boost::system::error_code ec;
  socket.read_some(net::buffer(&byte, 1), ec);  // blocks until the mock gives up on the header
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
}

TEST(mock_lifecycle, drops_a_stalled_body_after_the_read_timeout_and_records_it) {
  mock_process mock({"--provider", "kimi", "--read-timeout-ms", "300"});
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  const auto port =
      static_cast<unsigned short>(std::stoi(mock.url().substr(mock.url().rfind(':') + 1)));
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(socket, net::buffer(std::string(
                         "POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
                         "Content-Type: multipart/form-data; boundary=b\r\n"
                         "Content-Length: 1000\r\n\r\n--b\r\n")));
  char byte;
  boost::system::error_code ec;
  socket.read_some(net::buffer(&byte, 1), ec);  // blocks until the mock gives up on the body
  EXPECT_TRUE(ec == net::error::eof || ec == net::error::connection_reset) << ec.message();
  const auto ledger = ledger_of(mock);
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0].at("status"), 0);
}

TEST(mock_lifecycle, keeps_a_connection_alive_across_requests) {
  mock_process mock({"--provider", "kimi"});
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  const auto port =
      static_cast<unsigned short>(std::stoi(mock.url().substr(mock.url().rfind(':') + 1)));
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  const std::string req = "GET /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n";
  net::write(socket, net::buffer(req + req));
  std::string got;
  char buf[4096];
  while (got.find("has_more", got.find("has_more") + 1) == std::string::npos) {
    boost::system::error_code ec;
    const auto n = socket.read_some(net::buffer(buf), ec);
    if (ec) break;
    got.append(buf, n);
  }
  EXPECT_NE(got.find("has_more", got.find("has_more") + 1), std::string::npos) << got;
}

}  // namespace
}  // namespace rollproof::mock::testing
