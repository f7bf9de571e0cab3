#pragma once
// The plan of a run: a scenario's matrix expanded into cases, then filtered and sharded.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rollproof/framework/scenario.hpp"

namespace rollproof::framework {

// One cell of a matrix: what a single measured case runs.
struct case_spec {
  std::string id;  // "<scenario>/<type>-<size>-<provider>-c<C>-<route|pN>-<fault>[-rK]"
  std::size_t scenario_index = 0;  // into the run's scenario list
  file_type type = file_type::text;
  std::uint64_t size = 0;
  std::string size_label;
  std::string provider;
  std::uint32_t concurrency = 1;
  std::string route;             // "sync" | "async" | "" for stage cases
  std::optional<stage> rollout;  // set for stage cases
  std::string fault;             // profile name or "none"
  std::uint32_t uploads = 0;
  std::uint32_t repeat = 1;  // 1-based repetition of the same cell
  bool bucketing = false;    // the scenario's bucketing-property case (no uploads)

  // The parameters as reports show them (file_type, size, provider, concurrency, route|stage,
  // faults).
  [[nodiscard]] std::map<std::string, std::string> parameters() const;
};

// A shard: `index` counts from 0, `total` >= 1.
struct shard_spec {
  std::size_t index = 0;
  std::size_t total = 1;
};

// The most cases one scenario may plan (its cells times `repeat`), so that no matrix can ask the
// runner for more memory than a plan of real runs needs (scenarios/FORMAT.md).
inline constexpr std::uint64_t max_cases = 100'000;

// The cases expand_matrix(s, i, repeat) gives at most (every cell of the product, include cells
// and the bucketing case, before `exclude`, times `repeat`), saturating at UINT64_MAX; computed
// without expanding.
[[nodiscard]] std::uint64_t case_count_bound(const scenario& s, std::uint32_t repeat);

// Every case of a scenario in a stable order: the cartesian product of the dimensions (file type,
// size, provider, concurrency, route or stage, faults), without `exclude` matches, plus `include`
// cells (missing dimensions take each dimension's first value), each repeated `repeat` times.
[[nodiscard]] std::vector<case_spec> expand_matrix(const scenario& s, std::size_t scenario_index,
                                                   std::uint32_t repeat = 1);

// True when a partial cell (dimension -> value, sizes in bytes) matches the case.
[[nodiscard]] bool cell_matches(const std::map<std::string, std::string>& cell, const case_spec& c);

// What `c` is checked against: the scenario's [expect], then every [[expect.when]] whose cell
// matches the case, in file order (a later table wins a key both set).
[[nodiscard]] expectations expectations_for(const scenario& s, const case_spec& c);

// Reads a case's id; plan_positions reads every id through it, so a caller can count the work.
using id_reader = std::function<const std::string&(const case_spec&)>;

// For each case of `chosen` whose id is in `plan`, in `chosen`'s order, the index of the first case
// of `plan` with that id (a case of `chosen` not in `plan` has none). Linear: `id_of` is called
// exactly once per case of `plan` and once per case of `chosen`.
[[nodiscard]] std::vector<std::uint64_t> plan_positions(
    const std::vector<case_spec>& plan, const std::vector<case_spec>& chosen,
    const id_reader& id_of = [](const case_spec& c) -> const std::string& { return c.id; });

// Keeps the cases whose id matches the shell glob (fnmatch, '*' crosses '/'); empty keeps all.
[[nodiscard]] std::vector<case_spec> filter_cases(std::vector<case_spec> cases,
                                                  std::string_view glob);

// The cases of shard `shard`, in plan order. Cases with the same label in `group_of` (one per case;
// a case beyond its end is its own group) go to the same shard: groups are dealt largest first,
// each to the shard that holds the fewest cases so far (ties to the lowest index). The shards of
// one plan partition it exactly; with singleton groups the deal is round robin (sizes differ by at
// most one), and no shard exceeds another by more than the largest group.
[[nodiscard]] std::vector<case_spec> shard_cases(std::vector<case_spec> cases, shard_spec shard,
                                                 std::span<const std::size_t> group_of = {});

// Parses "K/N" (1 <= K <= N, counting from 1) into a 0-based shard.
[[nodiscard]] std::expected<shard_spec, std::string> parse_shard(std::string_view text);

}  // namespace rollproof::framework
