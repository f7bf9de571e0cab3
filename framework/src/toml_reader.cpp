#include "toml_reader.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <sstream>

namespace rollproof::framework::detail {

std::string_view type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

bool within(double value, double lo, double hi) {
  return lo <= value && value <= hi;  // false for NaN, which every ordered comparison fails
}

void toml_reader::error(const toml::source_region& where, std::string message) {
  out_.push_back(diagnostic{{file_, where.begin.line, where.begin.column}, std::move(message)});
}

void toml_reader::unknown_keys(const toml::table& t,
                               std::initializer_list<std::string_view> allowed,
                               std::string_view section) {
  for (const auto& [key, value] : t) {
    bool known = false;
    for (const auto name : allowed)
      known = known || key.str() == name;
    if (!known) error(key.source(), fmt::format("unknown key '{}' in {}", key.str(), section));
  }
}

void toml_reader::wrong_type(const toml::node& n, std::string_view what,
                             std::string_view expected) {
  error(n.source(), fmt::format("'{}' must be {}, not {}", what, expected, type_name(n)));
}

std::optional<std::string> toml_reader::string_at(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  if (const auto* s = n->as_string()) return s->get();
  wrong_type(*n, key, "a string");
  return std::nullopt;
}

std::optional<std::int64_t> toml_reader::integer_at(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  if (const auto* i = n->as_integer()) return i->get();
  wrong_type(*n, key, "an integer");
  return std::nullopt;
}

std::optional<double> toml_reader::number_at(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  if (const auto* i = n->as_integer()) return static_cast<double>(i->get());
  if (const auto* f = n->as_floating_point()) return f->get();
  wrong_type(*n, key, "a number");
  return std::nullopt;
}

const toml::table* toml_reader::table_at(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return nullptr;
  if (const auto* table = n->as_table()) return table;
  wrong_type(*n, key, "a table");
  return nullptr;
}

const toml::array* toml_reader::array_at(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return nullptr;
  if (const auto* a = n->as_array()) return a;
  wrong_type(*n, key, "an array");
  return nullptr;
}

std::optional<double> toml_reader::bound_at(const toml::table& t, std::string_view key,
                                            std::string_view bound_name, double lo, double hi) {
  const toml::table* b = table_at(t, key);
  if (b == nullptr) return std::nullopt;
  unknown_keys(*b, {bound_name}, fmt::format("'{}'", key));
  const auto value = number_at(*b, bound_name);
  if (!value) {
    if (b->get(bound_name) == nullptr) {
      error(b->source(), fmt::format("'{}' needs '{}'", key, bound_name));
    }
    return std::nullopt;
  }
  if (!within(*value, lo, hi)) {
    error(b->get(bound_name)->source(),
          fmt::format("'{}.{}' must be within {}..{} (got {})", key, bound_name, lo, hi, *value));
    return std::nullopt;
  }
  return value;
}

std::pair<std::optional<double>, std::optional<double>> toml_reader::range_at(const toml::table& t,
                                                                              std::string_view key,
                                                                              double lo,
                                                                              double hi) {
  const toml::table* b = table_at(t, key);
  if (b == nullptr) return {};
  unknown_keys(*b, {"at_least", "at_most"}, fmt::format("'{}'", key));
  const auto side = [&](std::string_view name) -> std::optional<double> {
    const auto value = number_at(*b, name);
    if (value && !within(*value, lo, hi)) {
      error(b->get(name)->source(),
            fmt::format("'{}.{}' must be within {}..{} (got {})", key, name, lo, hi, *value));
      return std::nullopt;
    }
    return value;
  };
  auto least = side("at_least");
  auto most = side("at_most");
  if (b->get("at_least") == nullptr && b->get("at_most") == nullptr) {
    error(b->source(), fmt::format("'{}' needs 'at_least', 'at_most' or both", key));
  } else if (least && most && *least > *most) {
    error(b->get("at_most")->source(),
          fmt::format("'{}.at_most' ({}) is below its 'at_least' ({})", key, *most, *least));
    return {};
  }
  return {least, most};
}

boost::json::value to_json(const toml::node& n) {
  if (const auto* t = n.as_table()) {
    boost::json::object o;
    for (const auto& [k, v] : *t)
      o[k.str()] = to_json(v);
    return o;
  }
  if (const auto* a = n.as_array()) {
    boost::json::array out;
    for (const auto& v : *a)
      out.push_back(to_json(v));
    return out;
  }
  if (const auto* s = n.as_string()) return boost::json::value(s->get());
  if (const auto* i = n.as_integer()) return boost::json::value(i->get());
  if (const auto* f = n.as_floating_point()) return boost::json::value(f->get());
  if (const auto* b = n.as_boolean()) return boost::json::value(b->get());
  std::ostringstream text;  // dates and times: their TOML spelling
  n.visit([&](const auto& v) { text << v; });
  return boost::json::value(text.str());
}

}  // namespace rollproof::framework::detail
