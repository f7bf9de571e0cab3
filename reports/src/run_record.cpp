#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

const char* to_string(case_status s) {
  switch (s) {
    case case_status::passed:
      return "passed";
    case case_status::failed:
      return "failed";
    case case_status::error:
      return "error";
    case case_status::skipped:
      return "skipped";
  }
  return "error";
}

const char* to_string(verdict v) {
  switch (v) {
    case verdict::verified:
      return "verified";
    case verdict::refuted:
      return "refuted";
    case verdict::inconclusive:
      return "inconclusive";
    case verdict::error:
      return "error";
    case verdict::unverifiable:
      return "unverifiable";
  }
  return "error";
}

const char* to_string(upload_phase p) {
  return p == upload_phase::after_rollback ? "after_rollback" : "stage";
}

}  // namespace rollproof::reports
