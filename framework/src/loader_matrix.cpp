// The [matrix] section: dimensions, arrival model, stages, and exclude/include cells.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "loader_sections.hpp"
#include "rollproof/framework/units.hpp"

namespace rollproof::framework::detail {

std::map<std::string, std::string> read_cell(toml_reader& r, const toml::table& t,
                                             std::string_view where, bool with_uploads) {
  if (with_uploads)
    r.unknown_keys(
        t, {"file_type", "size", "provider", "concurrency", "route", "stage", "faults", "uploads"},
        where);
  else
    r.unknown_keys(t, {"file_type", "size", "provider", "concurrency", "route", "stage", "faults"},
                   where);
  std::map<std::string, std::string> cell;
  for (const auto& [k, v] : t) {
    if (const auto* s = v.as_string()) {
      cell[std::string(k.str())] = s->get();
    } else if (const auto* i = v.as_integer()) {
      cell[std::string(k.str())] = std::to_string(i->get());
    } else if (const auto* f = v.as_floating_point()) {
      cell[std::string(k.str())] = fmt::format("{}", f->get());
    } else {
      r.wrong_type(v, k.str(), "a string or a number");
    }
  }
  // Counts a cell's case runs with must be whole and in range, or the plan could not read them
  // (2^32 uploads in an include used to be dropped in silence).
  for (const auto& [key, hi] : {std::pair<std::string, std::int64_t>{"uploads", max_uploads},
                                {"concurrency", max_concurrency}}) {
    const auto it = cell.find(key);
    if (it == cell.end()) continue;
    const std::string& text = it->second;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < 1 || v > hi)
      r.error(t.get(key)->source(),
              fmt::format("'{}' must be an integer within 1..{} (got {})", key, hi, text));
  }
  if (cell.count("size") != 0) {
    auto bytes = parse_byte_size(cell["size"]);
    if (!bytes)
      r.error(t.get("size")->source(), bytes.error());
    else
      cell["size"] = std::to_string(*bytes);  // cells match sizes by bytes, not spelling
  }
  return cell;
}

namespace {

// Visits each element of an array (or a lone scalar, as a one-element list) of `key`.
template <typename Fn>
bool for_each_item(toml_reader& r, const toml::table& t, std::string_view key, Fn&& fn) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return false;
  if (const auto* a = n->as_array()) {
    if (a->empty()) r.error(a->source(), fmt::format("'{}' must not be empty", key));
    for (const auto& item : *a)
      fn(item);
  } else {
    fn(*n);
  }
  return true;
}

// The integer `key` of `t` within 1..hi, or nullopt (absent, or refused with an error).
std::optional<std::uint32_t> count_at(toml_reader& r, const toml::table& t, std::string_view key,
                                      std::int64_t hi) {
  const auto v = r.integer_at(t, key);
  if (!v) return std::nullopt;
  if (*v < 1 || *v > hi) {
    r.error(t.get(key)->source(), fmt::format("'{}' must be within 1..{} (got {})", key, hi, *v));
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(*v);
}

void read_stages(toml_reader& r, const toml::table& m, matrix_spec& out) {
  const std::uint32_t default_uploads = out.uploads;
  for_each_item(r, m, "stages", [&](const toml::node& item) {
    stage s{0, default_uploads, default_uploads};
    const toml::node* percent = &item;
    if (const auto* t = item.as_table()) {
      r.unknown_keys(*t, {"percent", "users", "uploads"}, "a stage");
      percent = t->get("percent");
      if (percent == nullptr) {
        r.error(t->source(), "a stage needs 'percent'");
        return;
      }
      if (auto users = count_at(r, *t, "users", max_users)) s.users = *users;
      if (auto uploads = count_at(r, *t, "uploads", max_uploads)) s.uploads = *uploads;
    }
    const auto value = percent->value<double>();
    if (!value || percent->is_boolean() || percent->is_string()) {
      r.wrong_type(*percent, "percent", "a number");
      return;
    }
    if (!within(*value, 0, 100)) {
      r.error(percent->source(),
              fmt::format("rollout percent must be within 0..100 (got {})", *value));
      return;
    }
    s.percent = *value;
    out.stages.push_back(s);
  });
}

void read_cells(toml_reader& r, const toml::table& m, std::string_view key,
                std::vector<std::map<std::string, std::string>>& out) {
  const toml::array* cells = r.array_at(m, key);
  if (cells == nullptr) return;
  for (const auto& item : *cells) {
    const auto* t = item.as_table();
    if (t == nullptr) {
      r.wrong_type(item, key, "an array of tables");
      continue;
    }
    // `uploads` only makes sense for an extra case (include): a cell with a load of its own.
    out.push_back(read_cell(r, *t, fmt::format("an '{}' cell", key), key == "include"));
  }
}

// The value an item of dimension `key` stands for: sizes by bytes, stages by percent, others as
// written; nullopt for an item the dimension's reader already rejected.
std::optional<std::string> canonical_value(std::string_view key, const toml::node& item) {
  const toml::node* n = &item;
  if (key == "stages" && item.is_table()) n = item.as_table()->get("percent");
  if (n == nullptr) return std::nullopt;
  if (key == "sizes" && n->is_string()) {
    auto bytes = parse_byte_size(n->as_string()->get());
    return bytes ? std::optional(std::to_string(*bytes)) : std::nullopt;
  }
  if (const auto* str = n->as_string()) return str->get();
  if (const auto* i = n->as_integer()) return std::to_string(i->get());
  if (const auto* f = n->as_floating_point()) {
    const double v = f->get();
    if (!std::isfinite(v)) return std::nullopt;  // refused by the dimension's reader
    return v == std::floor(v) ? std::to_string(static_cast<std::int64_t>(v)) : fmt::format("{}", v);
  }
  return std::nullopt;
}

// A value given twice in one dimension makes two cases with one id (merge would keep one).
void report_duplicates(toml_reader& r, const toml::table& m, std::string_view key) {
  const toml::array* a = m.get(key) != nullptr ? m.get(key)->as_array() : nullptr;
  if (a == nullptr) return;
  std::map<std::string, const toml::node*> seen;
  for (const auto& item : *a) {
    const auto value = canonical_value(key, item);
    if (!value) continue;
    const auto [first, fresh] = seen.emplace(*value, &item);
    if (fresh) continue;
    const auto& at = first->second->source().begin;
    r.error(item.source(),
            fmt::format("'{}' repeats {}{} (first given at line {}, column {}); the repeated "
                        "cases would share one case id",
                        key, *value, key == "sizes" ? " bytes" : "", at.line, at.column));
  }
}

}  // namespace

void read_matrix(toml_reader& r, const toml::table& m, matrix_spec& out) {
  r.unknown_keys(m,
                 {"file_types", "sizes", "providers", "concurrency", "routes", "stages", "faults",
                  "model", "arrival_rate", "uploads", "uploads_per_case", "exclude", "include"},
                 "[matrix]");
  std::vector<file_type> types;
  if (for_each_item(r, m, "file_types", [&](const toml::node& item) {
        const auto name = item.value<std::string>();
        const auto type = name ? parse_file_type(*name) : std::nullopt;
        if (!item.is_string())
          r.wrong_type(item, "file_types", "a string");
        else if (!type)
          r.error(item.source(), fmt::format("unknown file type '{}' (use text, json, csv, "
                                             "markdown, python or binary)",
                                             *name));
        else
          types.push_back(*type);
      }))
    out.file_types = types;

  std::vector<std::uint64_t> sizes;
  std::vector<std::string> labels;
  if (for_each_item(r, m, "sizes", [&](const toml::node& item) {
        if (const auto* s = item.as_string()) {
          auto bytes = parse_byte_size(s->get());
          if (!bytes)
            r.error(item.source(), bytes.error());
          else
            sizes.push_back(*bytes), labels.push_back(s->get());
        } else if (const auto* i = item.as_integer(); i != nullptr && i->get() >= 0) {
          if (auto bytes = byte_count(i->get()); !bytes)
            r.error(item.source(), bytes.error());
          else
            sizes.push_back(*bytes), labels.push_back(fmt::format("{}B", *bytes));
        } else {
          r.wrong_type(item, "sizes", "a size such as \"1MiB\"");
        }
      }))
    out.sizes = sizes, out.size_labels = labels;

  std::vector<std::string> providers;
  if (for_each_item(r, m, "providers", [&](const toml::node& item) {
        const auto name = item.value<std::string>();
        if (!item.is_string())
          r.wrong_type(item, "providers", "a string");
        else if (*name != "kimi" && *name != "glm")
          r.error(item.source(), fmt::format("unknown provider '{}' (use kimi or glm)", *name));
        else
          providers.push_back(*name);
      }))
    out.providers = providers;

  std::vector<std::uint32_t> concurrency;
  if (for_each_item(r, m, "concurrency", [&](const toml::node& item) {
        const auto* i = item.as_integer();
        if (i == nullptr)
          r.wrong_type(item, "concurrency", "an integer");
        else if (i->get() <= 0 || i->get() > max_concurrency)
          r.error(item.source(), fmt::format("concurrency must be within 1..{} (got {})",
                                             max_concurrency, i->get()));
        else
          concurrency.push_back(static_cast<std::uint32_t>(i->get()));
      }))
    out.concurrency = concurrency;

  const auto* uploads_key = m.get("uploads") != nullptr ? "uploads" : "uploads_per_case";
  if (m.get("uploads") != nullptr && m.get("uploads_per_case") != nullptr) {
    r.error(m.get("uploads_per_case")->source(), "use 'uploads' or 'uploads_per_case', not both");
  }
  if (auto uploads = count_at(r, m, uploads_key, max_uploads)) out.uploads = *uploads;

  std::vector<std::string> routes;
  const bool has_routes = for_each_item(r, m, "routes", [&](const toml::node& item) {
    const auto name = item.value<std::string>();
    if (!item.is_string())
      r.wrong_type(item, "routes", "a string");
    else if (*name != "sync" && *name != "async")
      r.error(item.source(), fmt::format("unknown route '{}' (use sync or async)", *name));
    else
      routes.push_back(*name);
  });
  if (has_routes) out.routes = routes;
  if (m.get("stages") != nullptr) {
    if (has_routes) r.error(m.get("stages")->source(), "use 'routes' or 'stages', not both");
    out.routes.clear();
    read_stages(r, m, out);
  }

  std::vector<std::string> faults;
  if (for_each_item(r, m, "faults", [&](const toml::node& item) {
        if (!item.is_string())
          r.wrong_type(item, "faults", "a string");
        else
          faults.push_back(*item.value<std::string>());
      }))
    out.faults = faults;

  if (auto model = r.string_at(m, "model")) {
    if (*model == "open")
      out.model = arrival_model::open;
    else if (*model != "closed")
      r.error(m.get("model")->source(),
              fmt::format("unknown model '{}' (use closed or open)", *model));
  }
  if (auto rate = r.number_at(m, "arrival_rate")) {
    if (!within(*rate, min_arrival_rate, max_arrival_rate))
      r.error(m.get("arrival_rate")->source(),
              fmt::format("'arrival_rate' must be within {}..{} uploads per second (got {})",
                          min_arrival_rate, max_arrival_rate, *rate));
    else
      out.arrival_rate = *rate;
  }
  if (out.model == arrival_model::open && out.arrival_rate <= 0 &&
      m.get("arrival_rate") == nullptr) {
    r.error(m.get("model")->source(), "model \"open\" needs 'arrival_rate' (uploads per second)");
  }
  for (const std::string_view key :
       {"file_types", "sizes", "providers", "concurrency", "routes", "stages", "faults"})
    report_duplicates(r, m, key);
  read_cells(r, m, "exclude", out.exclude);
  read_cells(r, m, "include", out.include);
}

}  // namespace rollproof::framework::detail
