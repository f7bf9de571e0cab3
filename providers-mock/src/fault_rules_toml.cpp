#include <fmt/format.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>

#include "fault_rules_validate.hpp"
#include "rollproof/mock/fault_rules.hpp"

namespace rollproof::mock {

namespace json = boost::json;

namespace {

using positions = std::map<std::string, rollproof::source_position>;

rollproof::source_position position_of(const toml::node& n, std::string_view file) {
  const auto& begin = n.source().begin;
  return {std::string(file), static_cast<std::uint32_t>(begin.line),
          static_cast<std::uint32_t>(begin.column)};
}

std::string stringified(const toml::node& n) {
  std::ostringstream out;
  n.visit([&](const auto& v) { out << v; });
  return out.str();
}

// Converts TOML to JSON, remembering where each value was written, keyed by its JSON pointer, so
// the one JSON validator can report TOML problems at file:line:col. Dates and times become strings
// (no rule takes one, so the validator rejects them by type).
json::value convert(const toml::node& n, const std::string& pointer, std::string_view file,
                    positions& where) {
  where[pointer.empty() ? "/" : pointer] = position_of(n, file);
  if (const auto* t = n.as_table()) {
    json::object o;
    for (const auto& [key, value] : *t) {
      std::string escaped;
      for (char ch : key.str())
        escaped += ch == '~' ? "~0" : ch == '/' ? "~1" : std::string(1, ch);
      // A key's own position points at the key, which is where an "unknown key" error belongs.
      const std::string child = pointer + "/" + escaped;
      o[key.str()] = convert(value, child, file, where);
      where[child] = {std::string(file), static_cast<std::uint32_t>(key.source().begin.line),
                      static_cast<std::uint32_t>(key.source().begin.column)};
    }
    return o;
  }
  if (const auto* a = n.as_array()) {
    json::array out;
    for (std::size_t i = 0; i < a->size(); ++i)
      out.push_back(convert(*a->get(i), fmt::format("{}/{}", pointer, i), file, where));
    return out;
  }
  if (const auto* s = n.as_string()) return json::value(s->get());
  if (const auto* i = n.as_integer()) return json::value(i->get());
  if (const auto* f = n.as_floating_point()) return json::value(f->get());
  if (const auto* b = n.as_boolean()) return json::value(b->get());
  return json::value(stringified(n));
}

}  // namespace

std::expected<fault_plan, rollproof::diagnostics> parse_fault_plan(const toml::table& t,
                                                                   std::string_view file) {
  positions where;
  const json::value v = convert(t, "", file, where);
  auto plan = detail::validate_fault_plan(v);
  if (plan) return std::move(*plan);
  rollproof::diagnostics out;
  for (const auto& i : plan.error()) {
    // Missing keys point at their table; walk up until a written position is known.
    auto path = i.path;
    rollproof::source_position at{std::string(file), 0, 0};
    while (true) {
      const auto found = where.find(detail::json_pointer(path));
      if (found != where.end() && found->second.line != 0) {
        at = found->second;
        break;
      }
      if (path.empty()) break;
      path.pop_back();
    }
    const std::string name = detail::dotted_path(i.path);
    out.push_back({at, name.empty() ? i.message : fmt::format("{}: {}", name, i.message)});
  }
  return std::unexpected(std::move(out));
}

}  // namespace rollproof::mock
