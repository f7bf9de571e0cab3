// rollproof-upload: the subject executable; speaks the subject protocol on stdin/stdout.

#include <iostream>
#include <string>

#include "subject.hpp"

int main() {
  const auto env = rollproof::upload::process_environment();
  // A bad ASYNC_UPLOAD_* value is refused up front rather than silently replaced by a default.
  if (auto flag = rollproof::upload::flag_from_environment(env); !flag) {
    rollproof::upload::event_log log{std::cerr};
    log.note("config_error", flag.error());
    return 2;
  }
  rollproof::upload::subject session{stdout, std::cerr, env};
  std::string line;
  // Reading never waits for an upload: uploads run on the engine's threads and answer by callback.
  while (std::getline(std::cin, line)) {
    if (!session.handle(line)) return 0;
  }
  session.finish();
  return 0;
}
