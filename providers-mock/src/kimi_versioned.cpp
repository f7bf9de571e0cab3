#include "rollproof/mock/kimi_versioned.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/params_view.hpp>
#include <charconv>
#include <ctime>
#include <tuple>

#include "rollproof/mock/utf8.hpp"

namespace rollproof::mock::kimi_versioned {

namespace json = boost::json;

namespace {

constexpr std::string_view files_path = "/v1/files";
constexpr std::string_view invalid_parameter = "invalid_parameter_error";
constexpr std::string_view invalid_request = "invalid_request_error";
constexpr std::string_view failed_precondition = "failed_precondition_error";

using list_key = std::tuple<std::int64_t, std::uint64_t>;

// The compat list's sort key (newest first, upload order within a second), so both modes list
// files in the same order.
list_key key_of(const stored_file& f) {
  return {f.created_at, f.order};
}

std::size_t utf8_chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::optional<std::uint64_t> hex_u64(std::string_view s) {
  // from_chars also takes upper case; tokens are issued in lower case only.
  if (!std::all_of(s.begin(), s.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    return std::nullopt;
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return out;
}

std::optional<list_key> parse_token(std::string_view token) {
  if (token.size() != 32) return std::nullopt;
  const auto created = hex_u64(token.substr(0, 16));
  const auto order = hex_u64(token.substr(16));
  if (!created || !order || *order == 0) return std::nullopt;  // orders start at 1
  return list_key{static_cast<std::int64_t>(*created), *order};
}

void note_upload(const upload_sink& sink, ledger_entry& entry) {
  entry.purpose = sink.purpose();
  entry.filename = sink.filename();
  if (sink.has_file()) entry.bytes = sink.file_bytes();
}

}  // namespace

bool applies(const provider_api& api, std::string_view path) {
  return api.kind() == provider_kind::kimi &&
         (path == files_path ||
          (path.starts_with(files_path) && path.substr(files_path.size()).starts_with('/')));
}

std::string rfc3339_ms(std::int64_t unix_ms) {
  const std::int64_t secs = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  const auto t = static_cast<std::time_t>(secs);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", out, unix_ms - secs * 1000);
}

json::object record_of(const stored_file& f) {
  // Every upload succeeds and only the content endpoint can fail, as in the compat mode ("ok").
  return json::object{{"id", f.id},
                      {"filename", f.filename},
                      {"mime_type", media_type_of(f)},
                      {"size_bytes", f.bytes},
                      {"created_at", rfc3339_ms(f.created_at_ms)},
                      {"purpose", f.purpose},
                      {"extract_status", "ready"}};
}

std::string page_token_after(const stored_file& f) {
  // The position, not the id: a token stays valid when its file is deleted between pages.
  return fmt::format("{:016x}{:016x}", static_cast<std::uint64_t>(f.created_at), f.order);
}

responder::responder(provider_api& api, std::string request_id)
    : api_(api), request_id_(std::move(request_id)) {}

reply responder::typed_error(unsigned status, std::string_view type, std::string_view message,
                             std::optional<std::string_view> param) const {
  json::object e{{"type", type}, {"message", message}, {"request_id", request_id_}};
  if (param) e["param"] = *param;
  return {status, json::serialize(json::object{{"error", std::move(e)}}), "application/json", {}};
}

reply responder::error(api_error e, std::string_view detail) const {
  switch (e) {
    case api_error::auth_missing:
    case api_error::auth_invalid:
    case api_error::auth_malformed:
    case api_error::auth_expired:
    case api_error::auth_signature:
      return typed_error(401, "authentication_error", "Invalid Authentication");
    case api_error::not_found:
      return typed_error(404, "resource_not_found_error",
                         fmt::format("Not found the file {} or Permission denied", detail));
    case api_error::unknown_path:
      return typed_error(404, "resource_not_found_error",
                         fmt::format("Not found the path {}", detail));
    case api_error::too_large:
    case api_error::purpose_too_large:
      // The versioned spec says it outright: a body over the limit is a 400, there is no 413.
      return typed_error(
          400, invalid_request,
          fmt::format("File size is too large, max file size is {} bytes", api_.max_file_size()));
    case api_error::zero_size:
      return typed_error(400, invalid_parameter,
                         "File size is zero, please confirm and re-upload the file", "file");
    case api_error::too_many_files:
    case api_error::purpose_too_many:
      return typed_error(400, failed_precondition,
                         fmt::format("The number of files you have uploaded exceeded the max file "
                                     "count {}, please delete previous uploaded files",
                                     api_.config().max_files));
    case api_error::bad_purpose:
      return typed_error(400, invalid_parameter,
                         "Invalid purpose: expected file-extract, image, video or batch",
                         "purpose");
    case api_error::missing_file:
      return typed_error(400, invalid_parameter,
                         "file is required, with a filename in its part or a filename field",
                         "file");
    case api_error::missing_purpose:
      return typed_error(400, invalid_parameter, "purpose is required", "purpose");
    case api_error::bad_query:
      return typed_error(400, invalid_parameter, fmt::format("Invalid value of {}", detail),
                         detail);
    case api_error::bad_request:
      return typed_error(400, invalid_request, fmt::format("Invalid request: {}", detail));
    case api_error::not_text:
      return typed_error(400, failed_precondition, "text extract error: 没有解析出内容");
    case api_error::server_error:
      return typed_error(500, "server_error", fmt::format("Failed to extract file: {}", detail));
  }
  return typed_error(500, "server_error", "unexpected error");
}

std::optional<reply> responder::check_version(std::string_view value) const {
  if (value == supported_version) return std::nullopt;
  return typed_error(400, invalid_parameter,
                     fmt::format("Unsupported {} '{}': the supported version is {}", header_name,
                                 to_utf8(value.substr(0, 64)), supported_version),
                     header_name);
}

std::expected<accepted_credential, reply> responder::authenticate(
    std::optional<std::string_view> authorization) const {
  auto accepted = api_.authenticate(authorization);
  if (accepted) return accepted;
  return std::unexpected(error(api_error::auth_invalid));
}

std::optional<reply> responder::check_declared_length(std::uint64_t content_length) const {
  if (!api_.check_declared_length(content_length)) return std::nullopt;
  return error(api_error::too_large);
}

reply responder::rate_limited(const rate_refusal& r, std::string_view key) const {
  auto out = typed_error(429, "rate_limit_reached_error", kimi_rate_limit_message(r, key));
  out.headers.emplace_back("Retry-After", std::to_string(r.retry_after_s));
  return out;
}

reply responder::fault_status(unsigned status, std::string_view rule) const {
  const std::string note = fmt::format("injected fault '{}'", rule);
  if (status < 400) return {status, "", "application/json", {}};
  switch (status) {
    case 401:
      return error(api_error::auth_invalid);
    case 403:
      return typed_error(403, "permission_denied_error", note);
    case 404:
      return typed_error(404, "resource_not_found_error", note);
    case 409:
      return typed_error(409, "conflict_error", note);
    case 429: {
      // The spec gives every rate_limit_reached_error a Retry-After; a rule's own header wins.
      auto out = typed_error(429, "rate_limit_reached_error", note);
      out.headers.emplace_back("Retry-After", "1");
      return out;
    }
    default:
      break;
  }
  if (status >= 500) return typed_error(status, "server_error", note);
  return typed_error(status, invalid_request, fmt::format("Invalid request: {}", note));
}

reply responder::finish_upload(upload_sink& sink, const std::optional<std::string>& multipart_error,
                               ledger_entry& entry) {
  const auto& name = sink.filename_field();
  if (name && !multipart_error &&
      (name->empty() || sink.filename_field_truncated() ||
       utf8_chars(*name) > max_filename_chars)) {
    note_upload(sink, entry);
    if (sink.has_file()) entry.sha256 = sink.finish_hash();
    return typed_error(400, invalid_parameter,
                       fmt::format("filename must be 1 to {} characters long", max_filename_chars),
                       "filename");
  }
  const auto stored = api_.accept_upload(sink, multipart_error, entry, name);
  if (!stored) return error(stored.error().error, stored.error().detail);
  return {201, json::serialize(record_of(**stored)), "application/json", {}};
}

reply responder::list(std::string_view query) {
  std::optional<std::uint64_t> page_size;
  std::optional<list_key> after;
  try {
    for (const auto& p : boost::urls::params_view(query)) {
      if (p.key == "page_size") {
        std::uint64_t n = 0;
        const char* end = p.value.data() + p.value.size();
        const auto [stop, ec] = std::from_chars(p.value.data(), end, n);
        if (ec != std::errc() || stop != end || n < 1 || n > max_page_size)
          return typed_error(
              400, invalid_parameter,
              fmt::format("page_size must be an integer from 1 to {}", max_page_size), "page_size");
        page_size = n;
      } else if (p.key == "page_token" && !p.value.empty()) {
        // An empty token is what a client sends when it forwards an absent one: the first page.
        after = parse_token(p.value);
        if (!after) return typed_error(400, invalid_parameter, "Unknown page_token", "page_token");
      }
    }
  } catch (const std::exception&) {
    return typed_error(400, invalid_parameter, "Malformed query string");
  }
  auto files = api_.files().list();
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return key_of(*a) > key_of(*b); });
  auto first = files.begin();
  if (after)
    first = std::find_if(files.begin(), files.end(),
                         [&](const auto& f) { return key_of(*f) < *after; });
  const auto left = static_cast<std::uint64_t>(files.end() - first);
  const auto take = page_size ? std::min(*page_size, left) : left;
  json::array items;
  const auto last = first + static_cast<std::ptrdiff_t>(take);
  for (auto it = first; it != last; ++it)
    items.push_back(record_of(**it));
  json::object out{{"items", std::move(items)}};
  if (take < left) out["next_page_token"] = page_token_after(**(last - 1));
  return {200, json::serialize(out), "application/json", {}};
}

reply responder::handle(std::string_view method, std::string_view path, std::string_view query,
                        ledger_entry& entry) {
  if (path == files_path) {
    if (method == "GET") return list(query);
    return error(api_error::unknown_path, path);
  }
  const auto target = parse_file_path(path, files_path);
  if (!applies(api_, path) || !target) return error(api_error::unknown_path, path);
  const std::string& id = target->id;
  const bool wants_content = target->content;
  entry.file_id = id;
  const auto f = api_.files().get(id);
  if (wants_content && method != "GET") return error(api_error::unknown_path, path);
  if (method != "GET" && method != "DELETE") return error(api_error::unknown_path, path);
  if (!f) return error(api_error::not_found, id);
  entry.filename = f->filename;
  entry.purpose = f->purpose;
  if (wants_content) {
    if (!f->is_text) return error(api_error::not_text);
    return api_.content(*f);
  }
  if (method == "GET") return {200, json::serialize(record_of(*f)), "application/json", {}};
  if (!api_.files().remove(id)) return error(api_error::not_found, id);
  // 204 carries no body and so no Content-Type either.
  return {204, "", "", {}};
}

}  // namespace rollproof::mock::kimi_versioned
