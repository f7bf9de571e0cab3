// rollproof-upload: the subject executable; speaks the subject protocol on stdin/stdout.

#include <iostream>
#include <string>
#include <string_view>

#include "subject.hpp"

namespace {

constexpr const char* usage =
    "rollproof-upload: the real upload implementation as a rollproof subject\n"
    "Usage: rollproof-upload [--help | --version]\n"
    "\n"
    "Reads subject-protocol requests (JSON lines: hello, configure, upload, bucket, metrics,\n"
    "shutdown) on stdin and answers on stdout; logs JSON lines on stderr. `rollproof run`\n"
    "starts it; it takes no other arguments.\n"
    "\n"
    "Environment:\n"
    "  ASYNC_UPLOAD_ENABLED, ASYNC_UPLOAD_ROLLOUT_PERCENT, ASYNC_UPLOAD_SALT\n"
    "                  the async_upload flag until a configure request sets it\n"
    "  MOONSHOT_API_KEY, ZHIPUAI_API_KEY\n"
    "                  a provider's key when a configure request gives none\n"
    "\n"
    "Exit codes: 0 stdin ended or a shutdown request was answered; 2 usage, or a bad\n"
    "ASYNC_UPLOAD_* value (logged as config_error).\n";

}  // namespace

int main(int argc, char** argv) {
  // Flags are answered before anything reads stdin, so `--help` never waits on it.
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    }
    if (arg == "--version") {
      std::cout << "rollproof-upload " << ROLLPROOF_UPLOAD_VERSION << "\n";
      return 0;
    }
    std::cerr << "rollproof-upload: unknown argument '" << arg
              << "' (it takes none but --help and --version)\n";
    return 2;
  }
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
