#include "rollproof/mock/provider_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <boost/url/params_view.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

namespace rollproof::mock {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 4> kimi_purposes{"file-extract", "image", "video", "batch"};
constexpr std::array<std::string_view, 5> glm_purposes{"batch", "file-extract", "code-interpreter",
                                                       "agent", "voice-clone-input"};

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y%m%d", &tm);
  return out;
}

std::string uuid_from(std::mt19937_64& rng) {
  const std::uint64_t a = rng();
  const std::uint64_t b = rng();
  // Version 4 / variant 1 bits, so the ids look like the UUIDs real services hand out.
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                     0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffULL);
}

std::string json_reply_body(const json::value& v) {
  return json::serialize(v);
}

std::optional<std::string> read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

provider_api::provider_api(provider_config config, file_store& store)
    : config_(std::move(config)),
      store_(store),
      glm_date_(today_utc()),
      ids_(config_.seed),
      request_ids_(config_.seed ^ 0x9e3779b97f4a7c15ULL) {}

std::string_view provider_api::base_path() const {
  return config_.kind == provider_kind::kimi ? "/v1" : "/api/paas/v4";
}

std::string_view provider_api::request_id_header() const {
  return config_.kind == provider_kind::kimi ? "Msh-Request-Id" : "x-request-id";
}

std::string provider_api::next_request_id() {
  const std::lock_guard lock(mutex_);
  return uuid_from(request_ids_);
}

std::string provider_api::next_file_id() {
  const std::lock_guard lock(mutex_);
  if (config_.kind == provider_kind::glm) return glm_date_ + "_" + uuid_from(ids_);
  static constexpr std::string_view alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id(20, '0');
  for (auto& ch : id)
    ch = alphabet[ids_() % alphabet.size()];
  return id;
}

void provider_api::reset() {
  const std::lock_guard lock(mutex_);
  ids_.seed(config_.seed);
  request_ids_.seed(config_.seed ^ 0x9e3779b97f4a7c15ULL);
}

std::expected<accepted_credential, reply> provider_api::authenticate(
    std::optional<std::string_view> authorization) const {
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto accepted =
      check_credential(authorization, config_.api_keys, config_.kind == provider_kind::glm, now_ms);
  if (accepted) return std::move(*accepted);
  switch (accepted.error()) {
    case credential_refusal::missing:
      return std::unexpected(error(api_error::auth_missing));
    case credential_refusal::malformed:
      return std::unexpected(error(api_error::auth_malformed));
    case credential_refusal::expired:
      return std::unexpected(error(api_error::auth_expired));
    case credential_refusal::bad_signature:
      return std::unexpected(error(api_error::auth_signature));
    case credential_refusal::unknown_key:
      break;
  }
  return std::unexpected(error(api_error::auth_invalid));
}

bool provider_api::is_upload(std::string_view method, std::string_view path) const {
  return method == "POST" && path == fmt::format("{}/files", base_path());
}

std::optional<reply> provider_api::check_declared_length(std::uint64_t content_length) const {
  if (content_length > config_.max_file_size + multipart_allowance)
    return error(api_error::too_large);
  return std::nullopt;
}

json::object provider_api::file_object(const stored_file& f) const {
  json::object o{{"id", f.id},
                 {"object", "file"},
                 {"bytes", f.bytes},
                 {"created_at", f.created_at},
                 {"filename", f.filename},
                 {"purpose", f.purpose}};
  if (config_.kind == provider_kind::kimi) {
    o["status"] = "ok";
    o["status_details"] = "";
  }
  return o;
}

std::expected<std::shared_ptr<const stored_file>, upload_refusal> provider_api::accept_upload(
    upload_sink& sink, const std::optional<std::string>& multipart_error, ledger_entry& entry,
    const std::optional<std::string>& filename) {
  entry.purpose = sink.purpose();
  entry.filename = filename ? filename : sink.filename();
  if (sink.has_file()) {
    entry.bytes = sink.file_bytes();
    entry.sha256 = sink.finish_hash();
  }
  const auto refuse = [](api_error e, std::string detail = {}) {
    return std::unexpected(upload_refusal{e, std::move(detail)});
  };
  if (multipart_error) return refuse(api_error::bad_request, *multipart_error);
  if (sink.name_problem()) return refuse(api_error::bad_request, *sink.name_problem());
  if (!sink.purpose()) return refuse(api_error::missing_purpose);
  if (!sink.has_file() || !entry.filename) return refuse(api_error::missing_file);
  const std::string& purpose = *sink.purpose();
  const bool kimi = config_.kind == provider_kind::kimi;
  const bool known =
      kimi ? std::find(kimi_purposes.begin(), kimi_purposes.end(), purpose) != kimi_purposes.end()
           : std::find(glm_purposes.begin(), glm_purposes.end(), purpose) != glm_purposes.end();
  if (!known) return refuse(api_error::bad_purpose);
  const std::uint64_t bytes = sink.file_bytes();
  if (bytes > config_.max_file_size) return refuse(api_error::too_large);
  if (bytes == 0) return refuse(api_error::zero_size);
  const bool extract_limits = !kimi && purpose == "file-extract";
  if (extract_limits && bytes > config_.extract_max_file_size)
    return refuse(api_error::purpose_too_large, purpose);
  if (store_.count() >= config_.max_files) return refuse(api_error::too_many_files);
  if (extract_limits && store_.count(purpose) >= config_.extract_max_files)
    return refuse(api_error::purpose_too_many, purpose);
  stored_file f;
  f.id = next_file_id();
  f.filename = *entry.filename;
  f.purpose = purpose;
  f.bytes = bytes;
  f.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  f.created_at = f.created_at_ms / 1000;
  f.sha256 = sink.finish_hash();
  sink.keep_into(f);
  entry.file_id = f.id;
  return store_.add(std::move(f));
}

reply provider_api::finish_upload(upload_sink& sink,
                                  const std::optional<std::string>& multipart_error,
                                  ledger_entry& entry) {
  const auto stored = accept_upload(sink, multipart_error, entry);
  if (!stored) return error(stored.error().error, stored.error().detail);
  return {200, json_reply_body(file_object(**stored)), "application/json", {}};
}

reply provider_api::list(std::string_view query) {
  auto files = store_.list();
  // Newest first, like the OpenAI list; upload order breaks ties within one second.
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a->created_at != b->created_at ? a->created_at > b->created_at : a->order > b->order;
  });
  json::array data;
  bool has_more = false;
  if (config_.kind == provider_kind::kimi) {
    for (const auto& f : files)
      data.push_back(file_object(*f));
  } else {
    std::optional<std::string> purpose;
    std::optional<std::string> after;
    std::string order = "desc";
    std::uint64_t limit = 20;
    try {
      for (const auto& p : boost::urls::params_view(query)) {
        if (p.key == "purpose") purpose = p.value;
        if (p.key == "after") after = p.value;
        if (p.key == "order") order = p.value;
        if (p.key == "limit") {
          try {
            std::size_t used = 0;
            const auto n = std::stoul(p.value, &used);
            if (used != p.value.size() || n < 1 || n > 100)
              return error(api_error::bad_query, "limit");
            limit = n;
          } catch (const std::exception&) {
            return error(api_error::bad_query, "limit");
          }
        }
      }
    } catch (const std::exception&) {
      return error(api_error::bad_query, "query");
    }
    if (order == "asc")
      std::reverse(files.begin(), files.end());
    else if (order != "desc" && order != "created_at")
      return error(api_error::bad_query, "order");
    if (purpose) std::erase_if(files, [&](const auto& f) { return f->purpose != *purpose; });
    auto first = files.begin();
    if (after) {
      first =
          std::find_if(files.begin(), files.end(), [&](const auto& f) { return f->id == *after; });
      if (first == files.end()) return error(api_error::bad_query, "after");
      ++first;
    }
    for (auto it = first; it != files.end(); ++it) {
      if (data.size() == limit) {
        has_more = true;
        break;
      }
      data.push_back(file_object(**it));
    }
  }
  return {200,
          json_reply_body(
              json::object{{"object", "list"}, {"data", std::move(data)}, {"has_more", has_more}}),
          "application/json",
          {}};
}

reply provider_api::content(const stored_file& f) const {
  const bool extract = config_.kind == provider_kind::kimi || f.purpose == "file-extract";
  if (extract) {
    if (!f.is_text) return error(api_error::not_text);
    return {200,
            json_reply_body(json::object{{"content", f.text},
                                         {"file_type", media_type_of(f)},
                                         {"filename", f.filename},
                                         {"title", ""},
                                         {"type", "file"}}),
            "application/json",
            {}};
  }
  // GLM serves other purposes (batch results and the like) as the raw bytes.
  std::optional<std::string> bytes = f.data;
  if (!bytes && f.path) bytes = read_all(*f.path);
  if (!bytes && f.is_text && f.text.size() == f.bytes) bytes = f.text;
  if (!bytes) return error(api_error::not_text);
  return {200, std::move(*bytes), "application/octet-stream", {}};
}

std::optional<file_path> parse_file_path(std::string_view path, std::string_view files_path) {
  if (!path.starts_with(files_path) || !path.substr(files_path.size()).starts_with('/'))
    return std::nullopt;
  std::string_view rest = path.substr(files_path.size() + 1);
  bool content = false;
  if (rest.ends_with("/content")) {
    rest.remove_suffix(std::string_view("/content").size());
    content = true;
  }
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  return file_path{std::string(rest), content};
}

reply provider_api::handle(std::string_view method, std::string_view path, std::string_view query,
                           ledger_entry& entry) {
  const std::string files_path = fmt::format("{}/files", base_path());
  if (path == files_path) {
    if (method == "GET") return list(query);
    return error(api_error::unknown_path, path);
  }
  const auto target = parse_file_path(path, files_path);
  if (!target) return error(api_error::unknown_path, path);
  const std::string& id = target->id;
  const bool wants_content = target->content;
  entry.file_id = id;
  const auto f = store_.get(id);
  if (wants_content) {
    if (method != "GET") return error(api_error::unknown_path, path);
    if (!f) return error(api_error::not_found, id);
    entry.filename = f->filename;
    entry.purpose = f->purpose;
    return content(*f);
  }
  if (method == "GET") {
    if (!f) return error(api_error::not_found, id);
    entry.filename = f->filename;
    entry.purpose = f->purpose;
    return {200, json_reply_body(file_object(*f)), "application/json", {}};
  }
  if (method == "DELETE") {
    if (!f || !store_.remove(id)) return error(api_error::not_found, id);
    entry.filename = f->filename;
    entry.purpose = f->purpose;
    return {200,
            json_reply_body(json::object{{"id", id}, {"object", "file"}, {"deleted", true}}),
            "application/json",
            {}};
  }
  return error(api_error::unknown_path, path);
}

}  // namespace rollproof::mock
