#pragma once
// Readers of the scenario file's sections, each adding its diagnostics to the reader.

#include "rollproof/framework/scenario.hpp"
#include "toml_reader.hpp"

namespace rollproof::framework::detail {

// One partial cell (dimension -> value, sizes in bytes) from table `t`, called `where` in
// messages; `with_uploads` also allows an `uploads` key (an included cell's own load).
std::map<std::string, std::string> read_cell(toml_reader& r, const toml::table& t,
                                             std::string_view where, bool with_uploads);
void read_matrix(toml_reader& r, const toml::table& m, matrix_spec& out);
void read_rollback(toml_reader& r, const toml::table& t, rollback_spec& out);
void read_bucketing(toml_reader& r, const toml::table& b, bucketing_spec& out);
// Checks what the read sections mean together (claims' ids, metrics, ranges and selectors) as
// errors, and adds warnings to `sc.warnings` (sizes a provider refuses, rollback gates a stage
// cannot decide); selectors and warnings are checked only when `r` has found no error so far.
void check_meaning(toml_reader& r, const toml::table& root, scenario& sc);

}  // namespace rollproof::framework::detail
