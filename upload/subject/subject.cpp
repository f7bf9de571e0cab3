#include "subject.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <utility>

#include "rollproof/upload/config.hpp"

namespace rollproof::upload {

// Transports sized by one configuration's pool settings; a reconfigure with other sizes gets a new
// engine while uploads already running finish on the old one.
struct subject::engine {
  int sync_workers;
  int async_max_in_flight;
  std::atomic<int> uploads{0};
  sync_transport sync;
  async_transport async;
  asio_scheduler scheduler;
  uploader up;

  engine(const upload_settings& s, metrics_registry& metrics, event_log& log)
      : sync_workers{s.sync_workers},
        async_max_in_flight{s.async_max_in_flight},
        sync{s.sync_workers},
        async{s.async_max_in_flight},
        up{uploader_parts{&sync, &async, &scheduler, &metrics, &log}} {}
};

namespace {

std::string_view string_field(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view{v->get_string()} : std::string_view{};
}

}  // namespace

subject::subject(std::FILE* out, std::ostream& log, env_lookup env)
    : out_{out}, env_{std::move(env)}, log_{log} {
  if (auto flag = flag_from_environment(env_)) config_.async_upload = *flag;
  for (auto kind : {provider_kind::kimi, provider_kind::glm}) {
    if (auto p = provider_from_environment(kind, env_)) {
      secrets_.add(p->api_key);
      config_.providers[kind] = *p;
    }
  }
  log_.set_secrets(secrets_);
}

subject::~subject() {
  wait_for_uploads();
  engines_.clear();
}

subject::engine& subject::engine_for(const upload_settings& s) {
  if (engines_.empty() || engines_.back()->sync_workers != s.sync_workers ||
      engines_.back()->async_max_in_flight != s.async_max_in_flight) {
    // Older pools with nothing left in flight are joined now, so reconfiguring stays bounded.
    std::erase_if(engines_, [](const auto& e) { return e->uploads == 0; });
    engines_.push_back(std::make_unique<engine>(s, metrics_, log_));
  }
  return *engines_.back();
}

void subject::answer(const boost::json::object& response) {
  std::string line = boost::json::serialize(response);
  line.push_back('\n');
  std::lock_guard lock{out_mutex_};
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void subject::wait_for_uploads() {
  std::unique_lock lock{flight_mutex_};
  flight_done_.wait(lock, [this] { return in_flight_ == 0; });
}

void subject::finish() {
  wait_for_uploads();
}

bool subject::handle(std::string_view line) {
  if (line.empty() || line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
  auto request = parse_request(line);
  if (!request) {
    answer(error_response(nullptr, request.error().code, request.error().message));
    return true;
  }
  const auto& r = *request;
  if (r.op == "hello") {
    answer(ok_response(
        r.id, {{"protocol", 1},
               {"subject", {{"name", "rollproof-upload"}, {"version", ROLLPROOF_UPLOAD_VERSION}}},
               {"capabilities", {"upload", "bucket", "metrics", "schemes"}}}));
  } else if (r.op == "configure") {
    on_configure(r);
  } else if (r.op == "upload") {
    on_upload(r);
  } else if (r.op == "bucket") {
    on_bucket(r);
  } else if (r.op == "metrics") {
    answer(ok_response(
        r.id, {{"metrics", metrics_.to_json()}, {"prometheus", metrics_.to_prometheus()}}));
  } else if (r.op == "shutdown") {
    wait_for_uploads();
    answer(ok_response(r.id));
    return false;
  } else {
    answer(error_response(boost::json::string{r.id}, "unsupported", "unknown op: " + r.op));
  }
  return true;
}

void subject::on_configure(const protocol_request& r) {
  auto config = config_from_configure(r.body, env_);
  if (!config) {
    answer(error_response(boost::json::string{r.id}, "bad_config", config.error()));
    return;
  }
  // Keys of earlier configurations stay secret too: their uploads may still be logging.
  for (const auto& [kind, p] : config->providers)
    secrets_.add(p.api_key);
  log_.set_secrets(secrets_);
  config_ = std::move(*config);
  engine_for(config_.settings);
  answer(ok_response(r.id));
}

void subject::on_upload(const protocol_request& r) {
  const auto provider = parse_provider(string_field(r.body, "provider"));
  const auto file = string_field(r.body, "file");
  if (!provider || file.empty()) {
    answer(error_response(boost::json::string{r.id}, "bad_request",
                          !provider ? "upload: \"provider\" must be \"kimi\" or \"glm\""
                                    : "upload: \"file\" must be a non-empty path"));
    return;
  }
  upload_request request;
  request.id = r.id;
  request.provider = *provider;
  request.file = std::string{file};
  if (auto purpose = string_field(r.body, "purpose"); !purpose.empty()) request.purpose = purpose;
  request.user = string_field(r.body, "user");
  {
    std::lock_guard lock{flight_mutex_};
    ++in_flight_;
  }
  engine& e = engine_for(config_.settings);
  ++e.uploads;
  // The callback runs on a transport thread while configure may add keys: it keeps its own copy.
  e.up.upload(config_, std::move(request),
              [this, id = r.id, secrets = secrets_, engine = &e](upload_result result) {
                boost::json::object fields{
                    {"route", to_string(result.via)}, {"fallback", result.fallback},
                    {"attempts", result.attempts},    {"status", result.status},
                    {"bytes", result.bytes},          {"elapsed_us", result.elapsed_us}};
                if (result.error) {
                  auto response =
                      error_response(boost::json::string{id}, to_string(result.error->code),
                                     secrets.redact(result.error->message));
                  for (auto& [k, v] : fields)
                    response[k] = std::move(v);
                  answer(response);
                } else {
                  fields["file_id"] = result.file_id;
                  answer(ok_response(id, std::move(fields)));
                }
                --engine->uploads;
                std::lock_guard lock{flight_mutex_};
                --in_flight_;
                flight_done_.notify_all();
              });
}

void subject::on_bucket(const protocol_request& r) {
  const auto flag = string_field(r.body, "flag");
  if (!flag.empty() && flag != "async_upload") {
    answer(error_response(boost::json::string{r.id}, "bad_request",
                          "bucket: unknown flag (async_upload)"));
    return;
  }
  const auto* users = r.body.if_contains("users");
  if (!users || !users->is_array()) {
    answer(error_response(boost::json::string{r.id}, "bad_request",
                          "bucket: \"users\" must be an array of strings"));
    return;
  }
  const auto& f = config_.async_upload;
  boost::json::array buckets, enabled;
  for (const auto& u : users->get_array()) {
    if (!u.is_string()) {
      answer(error_response(boost::json::string{r.id}, "bad_request",
                            "bucket: \"users\" must be an array of strings"));
      return;
    }
    const auto b = bucket_of(f.scheme, f.salt, u.get_string());
    buckets.emplace_back(b);
    enabled.emplace_back(f.enabled && bucket_included(f.scheme, b, f.rollout_percent));
  }
  answer(ok_response(r.id, {{"scale", bucket_scale(f.scheme)},
                            {"buckets", std::move(buckets)},
                            {"enabled", std::move(enabled)}}));
}

}  // namespace rollproof::upload
