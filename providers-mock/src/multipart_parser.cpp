#include "rollproof/mock/multipart_parser.hpp"

#include <strings.h>

#include <boost/beast/http/rfc7230.hpp>
#include <cstring>

namespace rollproof::mock {

namespace {

// glibc's memmem (two-way search) is much faster than a naive scan on 100 MiB bodies.
std::size_t find(std::string_view haystack, std::string_view needle) {
  const void* at = ::memmem(haystack.data(), haystack.size(), needle.data(), needle.size());
  return at == nullptr ? std::string_view::npos
                       : static_cast<std::size_t>(static_cast<const char*>(at) - haystack.data());
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Beast's param_list hands back quoted-strings with their quotes and escapes.
std::string unquote(std::string_view v) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out += v[i];
  }
  return out;
}

// Parameters after the first ';' of a header value, e.g. `form-data; name="file"`.
template <typename F>
void for_each_param(std::string_view value, F&& f) {
  const auto semi = value.find(';');
  if (semi == std::string_view::npos) return;
  const auto params = value.substr(semi);
  for (const auto& [name, v] : boost::beast::http::param_list(params))
    f(std::string_view(name.data(), name.size()), unquote(std::string_view(v.data(), v.size())));
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const auto type = trim(content_type.substr(0, content_type.find(';')));
  if (!iequals(type, "multipart/form-data")) return std::nullopt;
  std::optional<std::string> boundary;
  for_each_param(content_type, [&](std::string_view name, std::string value) {
    if (iequals(name, "boundary") && !value.empty() && value.size() <= 70) boundary = value;
  });
  return boundary;
}

multipart_parser::multipart_parser(std::string boundary, std::size_t max_header_bytes)
    : delimiter_("\r\n--" + boundary), max_header_bytes_(max_header_bytes) {
  // The first delimiter has no CRLF before it; pretending one was seen makes all delimiters alike.
  buffer_ = "\r\n";
}

std::expected<void, std::string> multipart_parser::feed(std::string_view bytes,
                                                        part_handler& handler) {
  if (state_ == state::failed) return std::unexpected("multipart parser already failed");
  if (state_ == state::epilogue) return {};
  buffer_.append(bytes);
  bool progressed = true;
  while (progressed && state_ != state::epilogue) {
    progressed = false;
    if (auto r = step(handler, progressed); !r) {
      state_ = state::failed;
      return r;
    }
  }
  if (state_ == state::epilogue) buffer_.clear();
  return {};
}

std::expected<void, std::string> multipart_parser::step(part_handler& handler, bool& progressed) {
  switch (state_) {
    case state::preamble: {
      const auto at = find(buffer_, delimiter_);
      if (at == std::string::npos) {
        // Keep only what could still be the start of the first delimiter.
        if (buffer_.size() >= delimiter_.size())
          buffer_.erase(0, buffer_.size() - delimiter_.size() + 1);
        return {};
      }
      buffer_.erase(0, at + delimiter_.size());
      state_ = state::after_delimiter;
      progressed = true;
      return {};
    }
    case state::after_delimiter: {
      // Transport padding (spaces, tabs) may follow a delimiter (RFC 2046 5.1.1).
      std::size_t i = 0;
      while (i < buffer_.size() && (buffer_[i] == ' ' || buffer_[i] == '\t'))
        ++i;
      if (buffer_.size() - i < 2) return {};
      if (buffer_.compare(i, 2, "--") == 0) {
        state_ = state::epilogue;
      } else if (buffer_.compare(i, 2, "\r\n") == 0) {
        state_ = state::headers;
      } else {
        return std::unexpected("malformed multipart body: bad characters after a boundary");
      }
      buffer_.erase(0, i + 2);
      progressed = true;
      return {};
    }
    case state::headers: {
      std::size_t end = 0;
      std::size_t skip = 0;
      if (buffer_.starts_with("\r\n")) {
        skip = 2;  // a part with no headers at all
      } else {
        end = find(buffer_, "\r\n\r\n");
        if (end == std::string::npos) {
          if (buffer_.size() > max_header_bytes_)
            return std::unexpected("malformed multipart body: part headers too large");
          return {};
        }
        skip = end + 4;
      }
      if (end > max_header_bytes_)
        return std::unexpected("malformed multipart body: part headers too large");
      auto header = parse_headers(std::string_view(buffer_).substr(0, end));
      if (!header) return std::unexpected(header.error());
      buffer_.erase(0, skip);
      state_ = state::body;
      handler.on_part_begin(*header);
      progressed = true;
      return {};
    }
    case state::body: {
      const auto at = find(buffer_, delimiter_);
      if (at != std::string::npos) {
        if (at > 0) handler.on_part_data(std::string_view(buffer_).substr(0, at));
        handler.on_part_end();
        buffer_.erase(0, at + delimiter_.size());
        state_ = state::after_delimiter;
        progressed = true;
        return {};
      }
      // Everything but a tail that may be the start of a delimiter split across pieces.
      const std::size_t keep = delimiter_.size() - 1;
      if (buffer_.size() > keep) {
        const std::size_t safe = buffer_.size() - keep;
        handler.on_part_data(std::string_view(buffer_).substr(0, safe));
        buffer_.erase(0, safe);
      }
      return {};
    }
    case state::epilogue:
    case state::failed:
      return {};
  }
  return {};
}

std::expected<part_header, std::string> multipart_parser::parse_headers(
    std::string_view block) const {
  part_header h;
  bool disposition = false;
  while (!block.empty()) {
    const auto eol = block.find("\r\n");
    const auto line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return std::unexpected("malformed multipart body: part header line without ':'");
    const auto name = trim(line.substr(0, colon));
    const auto value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition")) {
      // Beast's parameter grammar stops at a NUL and would drop the filename without a word.
      if (value.find('\0') != std::string_view::npos)
        return std::unexpected("a part's name or filename must not contain a NUL byte");
      disposition = true;
      for_each_param(value, [&](std::string_view key, std::string v) {
        if (iequals(key, "name"))
          h.name = std::move(v);
        else if (iequals(key, "filename"))
          h.filename = std::move(v);
      });
    } else if (iequals(name, "Content-Type")) {
      h.content_type = std::string(value);
    }
  }
  if (!disposition)
    return std::unexpected("malformed multipart body: part without Content-Disposition");
  return h;
}

std::expected<void, std::string> multipart_parser::finish() const {
  if (state_ == state::epilogue) return {};
  if (state_ == state::failed) return std::unexpected("malformed multipart body");
  return std::unexpected("malformed multipart body: missing closing boundary");
}

}  // namespace rollproof::mock
