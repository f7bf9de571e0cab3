#pragma once
// Readers of the scenario file's sections, each adding its diagnostics to the reader.

#include <optional>
#include <string>
#include <string_view>

#include "rollproof/framework/scenario.hpp"
#include "toml_reader.hpp"

namespace rollproof::framework::detail {

// Bounds of the counts and rates a scenario may ask for (scenarios/FORMAT.md documents them): the
// runner holds every case's uploads and users in memory, and a rate below the minimum would put
// one upload hours after the last.
inline constexpr std::int64_t max_uploads = 10'000'000;  // per case and per stage
inline constexpr std::int64_t max_users = 10'000'000;    // per stage
inline constexpr std::int64_t max_concurrency = 100'000;
inline constexpr double min_arrival_rate = 0.001;  // uploads per second
inline constexpr double max_arrival_rate = 100'000;

// One partial cell (dimension -> value, sizes in bytes) from table `t`, called `where` in
// messages; `with_uploads` also allows an `uploads` key (an included cell's own load).
std::map<std::string, std::string> read_cell(toml_reader& r, const toml::table& t,
                                             std::string_view where, bool with_uploads);
void read_matrix(toml_reader& r, const toml::table& m, matrix_spec& out);
void read_rollback(toml_reader& r, const toml::table& t, rollback_spec& out);
void read_bucketing(toml_reader& r, const toml::table& b, bucketing_spec& out);
// Why `store` (not none or memory) cannot be a provider's store directory under --out: absolute,
// with '..', naming --out itself, or possibly naming a file the runner writes there; nullopt if
// it can.
std::optional<std::string> store_error(std::string_view store);
// Checks what the read sections mean together (claims' ids, metrics, ranges and selectors) as
// errors, and adds warnings to `sc.warnings` (sizes a provider refuses, rollback gates a stage
// cannot decide); selectors and warnings are checked only when `r` has found no error so far.
void check_meaning(toml_reader& r, const toml::table& root, scenario& sc);

}  // namespace rollproof::framework::detail
