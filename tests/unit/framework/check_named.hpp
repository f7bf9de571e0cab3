#pragma once
// Finding a check of a case record by name, for the framework's unit tests.

#include <stdexcept>
#include <string>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework::testing {

// The check of `rec` called `name`; throws (failing the test) when the case has none.
inline const reports::check_result& check_named(const reports::case_record& rec,
                                                const std::string& name) {
  for (const auto& c : rec.checks)
    if (c.name == name) return c;
  throw std::runtime_error("no check " + name);
}

}  // namespace rollproof::framework::testing
