#pragma once
// The subject protocol server: dispatches request lines to the upload library, answers on a stream.

#include <boost/json/object.hpp>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "rollproof/common/redact.hpp"
#include "rollproof/upload/curl_transports.hpp"
#include "rollproof/upload/event_log.hpp"
#include "rollproof/upload/flags.hpp"
#include "rollproof/upload/metrics.hpp"
#include "rollproof/upload/protocol.hpp"
#include "rollproof/upload/uploader.hpp"

namespace rollproof::upload {

// One subject session over a request stream; handle() is called from one reader thread.
class subject {
 public:
  // Answers go to `out` (one flushed line each), logs to `log`; starts from the environment's flags
  // (ignored when invalid: main() refuses those first) and provider keys.
  subject(std::FILE* out, std::ostream& log, env_lookup env);
  // Waits for every upload in flight before the transports stop.
  ~subject();
  // Handles one request line; returns false once the session has shut down.
  bool handle(std::string_view line);
  // End of input: finishes uploads in flight (no answer, there is no request to answer).
  void finish();

 private:
  struct engine;
  void answer(const boost::json::object& response);
  void on_configure(const protocol_request& r);
  void on_upload(const protocol_request& r);
  void on_bucket(const protocol_request& r);
  void wait_for_uploads();
  engine& engine_for(const upload_settings& settings);

  std::FILE* out_;
  std::mutex out_mutex_;
  env_lookup env_;
  event_log log_;
  metrics_registry metrics_;
  rollproof::redactor secrets_;
  client_config config_;
  std::vector<std::unique_ptr<engine>> engines_;
  std::mutex flight_mutex_;
  std::condition_variable flight_done_;
  int in_flight_ = 0;
};

}  // namespace rollproof::upload
