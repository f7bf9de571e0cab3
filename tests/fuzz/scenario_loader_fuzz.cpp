// libFuzzer target: scenario text through the loader (toml++ parse, then every validation rule),
// and every scenario it accepts within the documented bounds (hostile meaning, not only syntax).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rollproof/framework/loader.hpp"
#include "scenario_bounds.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = rollproof::framework::load_scenario_text(text, "fuzz.toml");
  // A refusal must say why; an empty list of diagnostics would leave the user with nothing.
  if (!loaded && loaded.error().empty()) __builtin_trap();
  // An accepted scenario is within every documented bound (scenarios/FORMAT.md).
  if (loaded && !rollproof::fuzzing::within_bounds(*loaded)) __builtin_trap();
  return 0;
}
