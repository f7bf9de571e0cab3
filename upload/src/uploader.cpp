#include "rollproof/upload/uploader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "rollproof/upload/retry.hpp"

namespace rollproof::upload {

using clock_type = std::chrono::steady_clock;

struct uploader::job {
  client_config config;
  upload_request request;
  std::function<void(upload_result)> done;
  provider_config provider;
  clock_type::time_point started = clock_type::now();
  clock_type::time_point attempt_started;
  route current = route::sync;
  int retries_on_route = 0;
  upload_result result;
};

namespace {

std::chrono::milliseconds since(clock_type::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t);
}

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

retry_policy policy_of(const upload_settings& s) {
  return {s.max_retries, std::chrono::milliseconds{s.backoff_base_ms},
          std::chrono::milliseconds{s.backoff_max_ms},
          std::chrono::milliseconds{s.total_timeout_ms}};
}

}  // namespace

uploader::uploader(uploader_parts parts, std::uint64_t jitter_seed)
    : parts_{parts}, rng_{jitter_seed} {}

double uploader::unit_random() {
  std::lock_guard lock{rng_mutex_};
  return std::uniform_real_distribution<double>{0.0, 1.0}(rng_);
}

void uploader::upload(const client_config& config, upload_request request,
                      std::function<void(upload_result)> done) {
  auto j = std::make_shared<job>();
  j->config = config;
  j->request = std::move(request);
  j->done = std::move(done);
  j->result.via =
      flag_enabled_for(config.async_upload, j->request.user) ? route::async : route::sync;
  j->current = j->result.via;

  const auto provider = config.providers.find(j->request.provider);
  if (provider == config.providers.end() || provider->second.api_key.empty()) {
    j->result.error = upload_error{
        error_code::bad_request,
        fmt::format("provider {} is not configured (no base_url/api_key and no {})",
                    to_string(j->request.provider), api_key_variable(j->request.provider))};
    return finish(std::move(j));
  }
  j->provider = provider->second;

  // A missing or unreadable file fails before any HTTP attempt, on either route.
  std::error_code ec;
  const auto size = std::filesystem::file_size(j->request.file, ec);
  if (ec || !std::filesystem::is_regular_file(j->request.file, ec)) {
    j->result.error = upload_error{
        error_code::io, fmt::format("cannot read {}: {}", j->request.file.string(),
                                    ec ? ec.message() : std::string{"not a regular file"})};
    return finish(std::move(j));
  }
  j->result.bytes = size;
  start_attempt(std::move(j));
}

void uploader::start_attempt(std::shared_ptr<job> j) {
  const auto& s = j->config.settings;
  attempt_request r;
  r.url = files_url(j->provider);
  r.api_key = j->provider.api_key;
  r.request_id = j->request.id;
  r.purpose = j->request.purpose;
  r.file = j->request.file;
  r.filename = j->request.file.filename().string();
  r.via = j->current;
  r.connect_timeout = std::chrono::milliseconds{s.connect_timeout_ms};
  // A blocking sync attempt must not outlive the upload's total time budget.
  const auto left = std::chrono::milliseconds{s.total_timeout_ms} - since(j->started);
  r.request_timeout = std::clamp(left, std::chrono::milliseconds{1},
                                 std::chrono::milliseconds{s.request_timeout_ms});
  r.low_speed_limit_bytes = s.low_speed_limit_bytes;
  r.low_speed_time = std::chrono::seconds{s.low_speed_time_s};
  j->attempt_started = clock_type::now();
  transport* t = j->current == route::async ? parts_.async : parts_.sync;
  t->send(std::move(r), [this, j](http_outcome outcome) { on_attempt(j, std::move(outcome)); });
}

void uploader::on_resent_request(job& j, std::chrono::microseconds lasted) {
  ++j.result.attempts;
  const double seconds = std::chrono::duration<double>(lasted).count();
  const upload_error died{error_code::connection,
                          "the reused connection closed before an answer; libcurl resent the "
                          "request on a new connection"};
  if (parts_.metrics)
    parts_.metrics->record_attempt(j.request.provider, j.current, to_string(died.code), seconds);
  if (parts_.log)
    parts_.log->attempt(attempt_event{j.request.id, j.current, j.request.provider,
                                      j.result.attempts, 0, lasted.count(), died});
}

void uploader::on_attempt(std::shared_ptr<job> j, http_outcome outcome) {
  double attempt_s = seconds_since(j->attempt_started);
  // Every request the server may have seen is an attempt, including those libcurl resent alone.
  for (const auto lasted : outcome.resent_requests) {
    on_resent_request(*j, lasted);
    attempt_s -= std::chrono::duration<double>(lasted).count();
  }
  attempt_s = std::max(attempt_s, 0.0);
  ++j->result.attempts;
  j->result.status = outcome.status;
  auto classified = classify(j->request.provider, outcome);
  const std::string_view outcome_name =
      classified ? std::string_view{"ok"} : to_string(classified.error().code);
  if (parts_.metrics)
    parts_.metrics->record_attempt(j->request.provider, j->current, outcome_name, attempt_s);
  if (parts_.log) {
    attempt_event e{j->request.id,
                    j->current,
                    j->request.provider,
                    j->result.attempts,
                    outcome.status,
                    static_cast<std::int64_t>(attempt_s * 1e6),
                    classified ? std::nullopt : std::optional{classified.error()}};
    parts_.log->attempt(e);
  }
  if (classified) {
    j->result.file_id = std::move(*classified);
    j->result.error.reset();
    return finish(std::move(j));
  }
  const upload_error error = classified.error();
  j->result.error = error;

  std::optional<std::chrono::milliseconds> retry_after;
  if (outcome.retry_after)
    retry_after = parse_retry_after(*outcome.retry_after, std::chrono::system_clock::now());
  const auto delay = next_retry_delay(policy_of(j->config.settings), j->retries_on_route,
                                      error.code, retry_after, since(j->started), unit_random());
  if (delay) {
    ++j->retries_on_route;
    parts_.scheduler->after(*delay, [this, j] { start_attempt(j); });
    return;
  }
  const bool may_fall_back = j->current == route::async && j->config.settings.fallback &&
                             falls_back_to_sync(error.code) &&
                             since(j->started).count() < j->config.settings.total_timeout_ms;
  if (may_fall_back) {
    j->result.fallback = true;
    j->current = route::sync;
    j->retries_on_route = 0;
    return start_attempt(std::move(j));
  }
  finish(std::move(j));
}

void uploader::finish(std::shared_ptr<job> j) {
  j->result.elapsed_us =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - j->started).count();
  if (parts_.metrics) {
    const std::string_view outcome =
        j->result.error ? to_string(j->result.error->code) : std::string_view{"ok"};
    parts_.metrics->record_upload(j->request.provider, j->current, outcome, j->result.bytes,
                                  j->result.fallback, seconds_since(j->started));
  }
  auto done = std::move(j->done);
  done(std::move(j->result));
}

}  // namespace rollproof::upload
