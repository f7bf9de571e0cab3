// The [bucketing] section: the bucketing-property case's user shapes, population and percents.
#include <fmt/format.h>

#include <algorithm>

#include "loader_sections.hpp"

namespace rollproof::framework::detail {

void read_bucketing(toml_reader& r, const toml::table& b, bucketing_spec& out) {
  r.unknown_keys(b, {"shapes", "users", "percents", "scheme", "salt", "second_salt", "alpha"},
                 "[bucketing]");
  static constexpr std::string_view known_shapes[] = {"sequential", "uuid",  "email",
                                                      "prefixed",   "short", "non_ascii"};
  if (const toml::array* shapes = r.array_at(b, "shapes")) {
    out.shapes.clear();
    if (shapes->empty()) r.error(shapes->source(), "'shapes' must not be empty");
    for (const auto& item : *shapes) {
      const auto* s = item.as_string();
      if (s == nullptr) {
        r.wrong_type(item, "shapes", "an array of strings");
      } else if (std::find(std::begin(known_shapes), std::end(known_shapes), s->get()) ==
                 std::end(known_shapes)) {
        r.error(item.source(), fmt::format("unknown user id shape '{}' (use sequential, uuid, "
                                           "email, prefixed, short or non_ascii)",
                                           s->get()));
      } else {
        out.shapes.push_back(s->get());
      }
    }
  }
  if (auto users = r.integer_at(b, "users")) {
    if (*users < 100 || *users > 1'000'000)
      r.error(b.get("users")->source(),
              fmt::format("'users' must be within 100..1000000 (got {})", *users));
    else
      out.users = static_cast<std::uint32_t>(*users);
  }
  if (const toml::array* percents = r.array_at(b, "percents")) {
    out.percents.clear();
    for (const auto& item : *percents) {
      const auto v = item.value<double>();
      if (!v || !within(*v, 0, 100)) {
        r.error(item.source(), "'percents' must be numbers within 0..100");
        continue;
      }
      if (!out.percents.empty() && *v <= out.percents.back())
        r.error(item.source(), "'percents' must be increasing");
      out.percents.push_back(*v);
    }
    if (out.percents.size() < 2)
      r.error(percents->source(), "'percents' needs at least two percents (monotonic expansion)");
  }
  if (auto scheme = r.string_at(b, "scheme")) {
    static constexpr std::string_view schemes[] = {"rollproof", "unleash", "growthbook", "flagd",
                                                   "launchdarkly"};
    if (std::find(std::begin(schemes), std::end(schemes), *scheme) == std::end(schemes))
      r.error(b.get("scheme")->source(), fmt::format("unknown scheme '{}'", *scheme));
    else
      out.scheme = *scheme;
  }
  if (auto salt = r.string_at(b, "salt")) out.salt = *salt;
  if (auto salt = r.string_at(b, "second_salt")) out.second_salt = *salt;
  if (out.salt == out.second_salt)
    r.error(b.source(), "'salt' and 'second_salt' must differ (independence of two flags)");
  if (auto alpha = r.number_at(b, "alpha")) {
    if (!(*alpha > 0 && *alpha < 0.5))  // false for NaN too
      r.error(b.get("alpha")->source(), "'alpha' must be within (0, 0.5)");
    else
      out.alpha = *alpha;
  }
}

}  // namespace rollproof::framework::detail
