#pragma once
// The evidence JSON of a run (schema: reports/evidence.schema.json): provenance, scenarios with
// their sha256, cases with raw upload samples and aggregates, claims with measured values.

#include <boost/json/value.hpp>
#include <expected>
#include <string>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

// The evidence document as JSON (schema_version 1).
[[nodiscard]] boost::json::value evidence_to_json(const run_record& run);

// Reads an evidence document back; run_from_json(evidence_to_json(r)) equals r.
[[nodiscard]] std::expected<run_record, std::string> run_from_json(const boost::json::value& v);

// The evidence document, pretty-printed with a trailing newline.
[[nodiscard]] std::string render_evidence_json(const run_record& run);

// Pretty-prints any JSON value (2-space indent, keys in the order stored).
[[nodiscard]] std::string pretty_json(const boost::json::value& v);

}  // namespace rollproof::reports
