#pragma once
// Field readers for evidence JSON that remember the first problem with its JSON path.

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rollproof::reports::detail {

// Reads fields of one object; every reader leaves the target untouched when the field is absent.
class json_reader {
 public:
  json_reader(const boost::json::object& o, std::string path, std::string* problem)
      : o_(o), path_(std::move(path)), problem_(problem) {}

  void text(const char* key, std::string& into) {
    if (const auto* f = find(key)) {
      if (const auto* s = f->if_string())
        into = std::string(*s);
      else
        fail(key, "a string");
    }
  }
  void flag(const char* key, bool& into) {
    if (const auto* f = find(key)) {
      if (f->is_bool())
        into = f->get_bool();
      else
        fail(key, "a boolean");
    }
  }
  // null stands for a non-finite value (JSON has no infinity): `when_null` is stored then.
  void number(const char* key, double& into, double when_null = std::nan("")) {
    if (const auto* f = find(key)) {
      if (f->is_null())
        into = when_null;
      else if (f->is_number())
        into = f->to_number<double>();
      else
        fail(key, "a number");
    }
  }
  template <class Int>
  void integer(const char* key, Int& into) {
    if (const auto* f = find(key)) {
      if (f->is_uint64())
        into = static_cast<Int>(f->get_uint64());
      else if (f->is_int64() && f->get_int64() >= 0)
        into = static_cast<Int>(f->get_int64());
      else
        fail(key, "a non-negative integer");
    }
  }
  template <class T>
  void optional_number(const char* key, std::optional<T>& into) {
    if (const auto* f = find(key); f != nullptr && !f->is_null()) {
      if constexpr (std::is_integral_v<T>) {
        T v{};
        integer(key, v);
        into = v;
      } else {
        double v = 0;
        number(key, v);
        into = v;
      }
    }
  }
  void strings(const char* key, std::map<std::string, std::string>& into) {
    if (const auto* f = find(key)) {
      const auto* so = f->if_object();
      if (so == nullptr) return fail(key, "an object of strings");
      for (const auto& [k, v] : *so) {
        if (const auto* s = v.if_string())
          into[std::string(k)] = std::string(*s);
        else
          return fail(key, "an object of strings");
      }
    }
  }
  void numbers(const char* key, std::map<std::string, double>& into) {
    if (const auto* f = find(key)) {
      const auto* so = f->if_object();
      if (so == nullptr) return fail(key, "an object of numbers");
      for (const auto& [k, v] : *so) {
        if (v.is_number())
          into[std::string(k)] = v.to_number<double>();
        else if (v.is_null())
          into[std::string(k)] = std::nan("");
        else
          return fail(key, "an object of numbers");
      }
    }
  }
  void string_list(const char* key, std::vector<std::string>& into) {
    if (const auto* f = find(key)) {
      const auto* a = f->if_array();
      if (a == nullptr) return fail(key, "an array of strings");
      for (const auto& v : *a) {
        if (const auto* s = v.if_string())
          into.emplace_back(*s);
        else
          return fail(key, "an array of strings");
      }
    }
  }
  // The sub-object at `key`, or nullptr (a problem when `required`).
  const boost::json::object* object(const char* key, bool required = false) {
    const auto* f = find(key);
    if (f == nullptr || (f->is_null() && !required)) {
      if (required) fail(key, "present");
      return nullptr;
    }
    if (!f->is_object()) {
      fail(key, "an object");
      return nullptr;
    }
    return &f->get_object();
  }
  const boost::json::array* array(const char* key, bool required = false) {
    const auto* f = find(key);
    if (f == nullptr) {
      if (required) fail(key, "present");
      return nullptr;
    }
    if (!f->is_array()) {
      fail(key, "an array");
      return nullptr;
    }
    return &f->get_array();
  }
  const boost::json::value* find(const char* key) const { return o_.if_contains(key); }
  std::string path(const std::string& sub) const { return path_ + "." + sub; }
  void fail(const char* key, const char* what) {
    if (problem_->empty()) *problem_ = path_ + "." + key + " must be " + what;
  }

 private:
  const boost::json::object& o_;
  std::string path_;
  std::string* problem_;
};

}  // namespace rollproof::reports::detail
