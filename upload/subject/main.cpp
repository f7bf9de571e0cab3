// rollproof-upload: the subject executable; speaks the subject protocol on stdin/stdout.

#include <iostream>
#include <string>

#include "subject.hpp"

int main() {
  rollproof::upload::subject session{stdout, std::cerr, rollproof::upload::process_environment()};
  std::string line;
  // Reading never waits for an upload: uploads run on the engine's threads and answer by callback.
  while (std::getline(std::cin, line)) {
    if (!session.handle(line)) return 0;
  }
  session.finish();
  return 0;
}
