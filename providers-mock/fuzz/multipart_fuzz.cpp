// libFuzzer target: an HTTP request head as the session reads it (Beast's parser), then its body
// through the streaming multipart parser in two pieces split at an input-chosen offset.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "rollproof/mock/multipart_parser.hpp"

namespace {

namespace http = boost::beast::http;

class counting_handler final : public rollproof::mock::part_handler {
 public:
  std::size_t bytes = 0;
  void on_part_begin(const rollproof::mock::part_header&) override {}
  void on_part_data(std::string_view data) override { bytes += data.size(); }
  void on_part_end() override {}
};

void parse_multipart(std::string_view boundary, std::string_view body, std::size_t cut) {
  rollproof::mock::multipart_parser parser{std::string(boundary), 1024};
  counting_handler h;
  cut = body.empty() ? 0 : cut % body.size();
  if (parser.feed(body.substr(0, cut), h)) {
    if (parser.feed(body.substr(cut), h)) (void)parser.finish();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = size == 0 ? 0 : data[0];

  http::request_parser<http::string_body> request;
  request.eager(true);
  request.header_limit(16 * 1024);
  request.body_limit(1 << 20);
  boost::beast::error_code ec;
  request.put(boost::asio::buffer(input.data(), input.size()), ec);
  if (!ec && request.is_header_done()) {
    const auto& req = request.get();
    const auto type = req[http::field::content_type];
    if (const auto boundary =
            rollproof::mock::multipart_boundary(std::string_view(type.data(), type.size())))
      parse_multipart(*boundary, req.body(), cut);
  }
  parse_multipart("fuzz-boundary", input, cut);
  return 0;
}
