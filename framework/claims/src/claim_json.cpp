#include <boost/json.hpp>

#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {
namespace {

const char* relation_name(relation_kind k) {
  switch (k) {
    case relation_kind::none:
      return "none";
    case relation_kind::ratio:
      return "ratio";
    case relation_kind::reduction:
      return "reduction";
    case relation_kind::bound:
      return "bound";
    case relation_kind::proportion:
      return "proportion";
  }
  return "none";
}

boost::json::object selector_json(const std::map<std::string, std::string>& s) {
  boost::json::object o;
  for (const auto& [k, v] : s)
    o[k] = v;
  return o;
}

boost::json::value optional_json(const std::optional<double>& v) {
  if (v) return *v;
  return nullptr;
}

}  // namespace

boost::json::value to_json(const claim_spec& spec) {
  boost::json::object o;
  o["id"] = spec.id;
  o["text"] = spec.text;
  o["source"] = spec.source;
  o["scenario"] = spec.scenario;
  o["metric"] = spec.metric;
  o["percentile"] = optional_json(spec.percentile);
  o["statistic"] = spec.statistic;
  o["baseline"] = selector_json(spec.baseline);
  o["candidate"] = selector_json(spec.candidate);
  o["cases"] = selector_json(spec.cases);
  o["relation"] = relation_name(spec.relation);
  o["min"] = optional_json(spec.min);
  o["max"] = optional_json(spec.max);
  o["equals"] = optional_json(spec.equals);
  o["tolerance"] = optional_json(spec.tolerance);
  o["unverifiable"] = spec.unverifiable;
  o["confidence"] = spec.confidence;
  o["resamples"] = spec.resamples;
  o["min_samples"] = spec.min_samples;
  o["as_measured"] = spec.as_measured;
  o["note"] = spec.note;
  o["where"] = {
      {"file", spec.where.file}, {"line", spec.where.line}, {"column", spec.where.column}};
  return o;
}

std::expected<claim_spec, std::string> claim_from_json(const boost::json::value& v) {
  const auto* o = v.if_object();
  if (o == nullptr) return std::unexpected("claim spec: not a JSON object");
  claim_spec spec;
  std::string problem;
  auto text = [&](const char* key, std::string& into) {
    const auto* f = o->if_contains(key);
    if (f == nullptr) return;
    if (const auto* s = f->if_string())
      into = std::string(*s);
    else
      problem = std::string("claim spec: '") + key + "' is not a string";
  };
  auto number = [&](const char* key, std::optional<double>& into) {
    const auto* f = o->if_contains(key);
    if (f == nullptr || f->is_null()) return;
    if (f->is_number())
      into = f->to_number<double>();
    else
      problem = std::string("claim spec: '") + key + "' is not a number";
  };
  auto selector = [&](const char* key, std::map<std::string, std::string>& into) {
    const auto* f = o->if_contains(key);
    if (f == nullptr) return;
    const auto* so = f->if_object();
    if (so == nullptr) {
      problem = std::string("claim spec: '") + key + "' is not an object";
      return;
    }
    for (const auto& [k, sv] : *so) {
      if (const auto* s = sv.if_string())
        into[std::string(k)] = std::string(*s);
      else
        problem = std::string("claim spec: '") + key + "." + std::string(k) + "' is not a string";
    }
  };
  text("id", spec.id);
  text("text", spec.text);
  text("source", spec.source);
  text("scenario", spec.scenario);
  text("metric", spec.metric);
  text("statistic", spec.statistic);
  text("unverifiable", spec.unverifiable);
  text("note", spec.note);
  number("percentile", spec.percentile);
  number("min", spec.min);
  number("max", spec.max);
  number("equals", spec.equals);
  number("tolerance", spec.tolerance);
  selector("baseline", spec.baseline);
  selector("candidate", spec.candidate);
  selector("cases", spec.cases);
  std::string relation = "none";
  text("relation", relation);
  if (relation == "ratio")
    spec.relation = relation_kind::ratio;
  else if (relation == "reduction")
    spec.relation = relation_kind::reduction;
  else if (relation == "bound")
    spec.relation = relation_kind::bound;
  else if (relation == "proportion")
    spec.relation = relation_kind::proportion;
  else if (relation != "none")
    problem = "claim spec: unknown relation '" + relation + "'";
  std::optional<double> confidence, resamples, min_samples;
  number("confidence", confidence);
  number("resamples", resamples);
  number("min_samples", min_samples);
  if (confidence) spec.confidence = *confidence;
  if (resamples) spec.resamples = static_cast<unsigned>(*resamples);
  if (min_samples) spec.min_samples = static_cast<unsigned>(*min_samples);
  if (const auto* f = o->if_contains("as_measured")) {
    if (f->is_bool())
      spec.as_measured = f->get_bool();
    else
      problem = "claim spec: 'as_measured' is not a boolean";
  }
  if (const auto* w = o->if_contains("where"); w != nullptr && w->is_object()) {
    const auto& wo = w->get_object();
    if (const auto* f = wo.if_contains("file"); f && f->is_string())
      spec.where.file = std::string(f->get_string());
    if (const auto* f = wo.if_contains("line"); f && f->is_number())
      spec.where.line = f->to_number<std::uint32_t>();
    if (const auto* f = wo.if_contains("column"); f && f->is_number())
      spec.where.column = f->to_number<std::uint32_t>();
  }
  if (!problem.empty()) return std::unexpected(problem);
  return spec;
}

}  // namespace rollproof::claims
