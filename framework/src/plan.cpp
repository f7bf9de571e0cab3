#include "rollproof/framework/plan.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

namespace rollproof::framework {
namespace {

std::string percent_label(double percent) {
  return fmt::format("{}", percent);
}

// One value per dimension, in the order ids and parameters show them.
struct cell {
  file_type type;
  std::size_t size_index;
  std::string provider;
  std::uint32_t concurrency;
  std::string route;
  std::optional<stage> rollout;
  std::string fault;
};

case_spec make_case(const scenario& s, std::size_t scenario_index, const cell& c) {
  case_spec out;
  out.scenario_index = scenario_index;
  out.type = c.type;
  out.size = s.matrix.sizes[c.size_index];
  out.size_label = s.matrix.size_labels[c.size_index];
  out.provider = c.provider;
  out.concurrency = c.concurrency;
  out.route = c.route;
  out.rollout = c.rollout;
  out.fault = c.fault;
  out.uploads = c.rollout ? c.rollout->uploads : s.matrix.uploads;
  const std::string load = s.matrix.model == arrival_model::open
                               ? fmt::format("rate{}", s.matrix.arrival_rate)
                               : fmt::format("c{}", c.concurrency);
  const std::string path = c.rollout ? fmt::format("p{}", c.rollout->percent) : c.route;
  out.id = fmt::format("{}/{}-{}-{}-{}-{}-{}", s.name, to_string(c.type), out.size_label,
                       c.provider, load, path, c.fault);
  return out;
}

std::optional<std::size_t> size_index_of(const scenario& s, const std::string& bytes) {
  for (std::size_t i = 0; i < s.matrix.sizes.size(); ++i) {
    if (std::to_string(s.matrix.sizes[i]) == bytes) return i;
  }
  return std::nullopt;
}

}  // namespace

std::map<std::string, std::string> case_spec::parameters() const {
  std::map<std::string, std::string> p{{"file_type", to_string(type)},
                                       {"size", size_label},
                                       {"size_bytes", std::to_string(size)},
                                       {"provider", provider},
                                       {"concurrency", std::to_string(concurrency)},
                                       {"faults", fault},
                                       {"uploads", std::to_string(uploads)},
                                       {"repeat", std::to_string(repeat)}};
  if (rollout) {
    p["stage"] = percent_label(rollout->percent);
    p["users"] = std::to_string(rollout->users);
  } else {
    p["route"] = route;
  }
  return p;
}

void expectations_patch::apply_to(expectations& base) const {
  if (success_rate_at_least || success_rate_at_most) {
    base.success_rate_at_least = success_rate_at_least;
    base.success_rate_at_most = success_rate_at_most;
    base.success_rate_default = false;
  }
  if (integrity_all) base.integrity_all = *integrity_all, base.integrity_default = false;
  if (latency_p50_ms_at_most) base.latency_p50_ms_at_most = latency_p50_ms_at_most;
  if (latency_p95_ms_at_most) base.latency_p95_ms_at_most = latency_p95_ms_at_most;
  if (latency_p99_ms_at_most) base.latency_p99_ms_at_most = latency_p99_ms_at_most;
  if (timeout_rate_at_most) base.timeout_rate_at_most = timeout_rate_at_most;
}

expectations expectations_for(const scenario& s, const case_spec& c) {
  expectations out = s.expect;
  for (const auto& when : s.expect_when)
    if (cell_matches(when.cell, c)) when.patch.apply_to(out);
  return out;
}

bool cell_matches(const std::map<std::string, std::string>& cell, const case_spec& c) {
  for (const auto& [key, value] : cell) {
    std::string actual;
    if (key == "file_type")
      actual = to_string(c.type);
    else if (key == "size")
      actual = std::to_string(c.size);
    else if (key == "provider")
      actual = c.provider;
    else if (key == "concurrency")
      actual = std::to_string(c.concurrency);
    else if (key == "route")
      actual = c.route;
    else if (key == "stage")
      actual = c.rollout ? percent_label(c.rollout->percent) : "";
    else if (key == "faults")
      actual = c.fault;
    if (actual != value) return false;
  }
  return true;
}

std::uint64_t case_count_bound(const scenario& s, std::uint32_t repeat) {
  const matrix_spec& m = s.matrix;
  constexpr std::uint64_t saturated = UINT64_MAX;
  const auto times = [](std::uint64_t a, std::uint64_t b) {
    std::uint64_t product = 0;
    return __builtin_mul_overflow(a, b, &product) ? saturated : product;
  };
  const auto plus = [](std::uint64_t a, std::uint64_t b) {
    std::uint64_t sum = 0;
    return __builtin_add_overflow(a, b, &sum) ? saturated : sum;
  };
  std::uint64_t cells = 1;
  for (const std::size_t n :
       {m.file_types.size(), m.sizes.size(), m.providers.size(), m.concurrency.size(),
        m.routes.size() + m.stages.size(), m.faults.size()})
    cells = times(cells, n);
  if (s.bucketing && !s.has_matrix) cells = 0;
  cells = plus(plus(cells, s.has_matrix ? m.include.size() : 0), s.bucketing ? 1 : 0);
  return times(cells, std::max<std::uint32_t>(repeat, 1));
}

std::vector<case_spec> expand_matrix(const scenario& s, std::size_t scenario_index,
                                     std::uint32_t repeat) {
  const matrix_spec& m = s.matrix;
  std::vector<cell> cells;
  std::vector<std::pair<std::string, std::optional<stage>>> paths;
  for (const auto& r : m.routes)
    paths.emplace_back(r, std::nullopt);
  for (const auto& st : m.stages)
    paths.emplace_back("", st);
  for (auto type : m.file_types)
    for (std::size_t si = 0; si < m.sizes.size(); ++si)
      for (const auto& provider : m.providers)
        for (auto conc : m.concurrency)
          for (const auto& [route, rollout] : paths)
            for (const auto& fault : m.faults)
              cells.push_back(cell{type, si, provider, conc, route, rollout, fault});

  std::vector<case_spec> base;
  std::unordered_set<std::string> ids;  // of `base`: an include already in the matrix is not added
  for (const auto& c : cells) {
    case_spec candidate = make_case(s, scenario_index, c);
    bool excluded = false;
    for (const auto& ex : m.exclude)
      excluded = excluded || cell_matches(ex, candidate);
    if (!excluded) ids.insert(candidate.id), base.push_back(std::move(candidate));
  }
  for (const auto& inc : m.include) {
    if (m.file_types.empty() || m.sizes.empty() || m.providers.empty() || m.concurrency.empty() ||
        paths.empty() || m.faults.empty())
      break;
    cell c{m.file_types.front(), 0,
           m.providers.front(),  m.concurrency.front(),
           paths.front().first,  paths.front().second,
           m.faults.front()};
    if (auto it = inc.find("file_type"); it != inc.end())
      if (auto t = parse_file_type(it->second)) c.type = *t;
    if (auto it = inc.find("size"); it != inc.end())
      if (auto i = size_index_of(s, it->second)) c.size_index = *i;
    if (auto it = inc.find("provider"); it != inc.end()) c.provider = it->second;
    if (auto it = inc.find("concurrency"); it != inc.end()) {
      std::uint32_t v = 0;
      const auto& text = it->second;
      if (std::from_chars(text.data(), text.data() + text.size(), v).ec == std::errc{} && v > 0)
        c.concurrency = v;
    }
    if (auto it = inc.find("route"); it != inc.end()) c.route = it->second, c.rollout.reset();
    if (auto it = inc.find("faults"); it != inc.end()) c.fault = it->second;
    case_spec extra = make_case(s, scenario_index, c);
    if (auto it = inc.find("uploads"); it != inc.end()) {
      std::uint32_t v = 0;
      const auto& text = it->second;
      if (std::from_chars(text.data(), text.data() + text.size(), v).ec == std::errc{} && v > 0)
        extra.uploads = v;
    }
    if (ids.insert(extra.id).second) base.push_back(std::move(extra));
  }

  if (s.bucketing) {
    // The bucketing case uploads nothing; without a [matrix] it is the scenario's only case.
    if (!s.has_matrix) base.clear();
    case_spec b;
    b.id = s.name + "/bucketing";
    b.scenario_index = scenario_index;
    b.provider = m.providers.empty() ? "kimi" : m.providers.front();
    b.route = "bucketing";
    b.fault = "none";
    b.bucketing = true;
    base.push_back(std::move(b));
  }
  std::vector<case_spec> out;
  out.reserve(base.size() * std::max<std::uint32_t>(repeat, 1));
  for (const auto& c : base) {
    for (std::uint32_t r = 1; r <= std::max<std::uint32_t>(repeat, 1); ++r) {
      case_spec copy = c;
      copy.repeat = r;
      if (repeat > 1) copy.id += fmt::format("-r{}", r);
      out.push_back(std::move(copy));
    }
  }
  return out;
}

std::vector<std::uint64_t> plan_positions(const std::vector<case_spec>& plan,
                                          const std::vector<case_spec>& chosen,
                                          const id_reader& id_of) {
  std::unordered_map<std::string_view, std::uint64_t> index;
  index.reserve(plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i)
    index.emplace(id_of(plan[i]), i);  // the first case of an id wins, as a search in order would
  std::vector<std::uint64_t> out;
  out.reserve(chosen.size());
  for (const auto& c : chosen)
    if (const auto it = index.find(id_of(c)); it != index.end()) out.push_back(it->second);
  return out;
}

std::vector<case_spec> filter_cases(std::vector<case_spec> cases, std::string_view glob) {
  if (glob.empty()) return cases;
  const std::string pattern(glob);
  std::vector<case_spec> out;
  for (auto& c : cases) {
    if (::fnmatch(pattern.c_str(), c.id.c_str(), 0) == 0) out.push_back(std::move(c));
  }
  return out;
}

std::vector<case_spec> shard_cases(std::vector<case_spec> cases, shard_spec shard,
                                   std::span<const std::size_t> group_of) {
  if (shard.total <= 1) return cases;
  // The groups in the order of their first case; a case without a label is its own group.
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::size_t, std::size_t> group_index;  // label -> index into groups
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (i >= group_of.size()) {
      groups.push_back({i});
      continue;
    }
    const auto [it, fresh] = group_index.emplace(group_of[i], groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  // Largest group first (ties in plan order), each to the shard with the fewest cases (ties to the
  // lowest index): singleton groups are dealt round robin, and a shard is never more than the
  // largest group above another.
  std::vector<std::size_t> order(groups.size());
  for (std::size_t g = 0; g < order.size(); ++g)
    order[g] = g;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return groups[a].size() > groups[b].size();
  });
  std::vector<std::size_t> load(shard.total, 0);
  std::vector<bool> mine(cases.size(), false);
  for (const auto g : order) {
    const auto least =
        static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[least] += groups[g].size();
    if (least == shard.index)
      for (const auto i : groups[g])
        mine[i] = true;
  }
  std::vector<case_spec> out;
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (mine[i]) out.push_back(std::move(cases[i]));
  return out;
}

std::expected<shard_spec, std::string> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  std::size_t k = 0;
  std::size_t n = 0;
  const auto whole = [](std::string_view part, std::size_t& v) {
    return !part.empty() && std::from_chars(part.data(), part.data() + part.size(), v).ptr ==
                                part.data() + part.size();
  };
  if (slash == std::string_view::npos || !whole(text.substr(0, slash), k) ||
      !whole(text.substr(slash + 1), n) || n == 0 || k == 0 || k > n) {
    return std::unexpected("--shard must be K/N with 1 <= K <= N (got '" + std::string(text) +
                           "')");
  }
  return shard_spec{k - 1, n};
}

}  // namespace rollproof::framework
