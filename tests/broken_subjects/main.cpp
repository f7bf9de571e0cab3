// rollproof-broken-subject: the real rollproof-upload subject with exactly one defect, chosen by
// --break=KIND, so the rollout scenarios can show that each defect is caught.

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

#include "break_kind.hpp"
#include "subject.hpp"

namespace {

using rollproof::broken::break_kind;

struct broken_state {
  break_kind kind = break_kind::none;
  std::FILE* real_out = stdout;
  std::mutex mutex;
  std::string pending;                           // bytes of an answer line not yet complete
  std::map<std::string, std::string> corrupted;  // source path -> altered copy
  std::atomic<unsigned> uploads{0};
  bool flag_enabled = false;
  double flag_percent = 0;
  bool stop_reading = false;  // stops_reading: the configure request has been handed over
  std::string configure_id;   // leaks_key_in_configure: the answer that echoes `echoed_key`
  std::string echoed_key;
};

broken_state state;

// One phantom async attempt and one phantom fallback per provider: small, plausible, and false.
void add_phantom_attempt(boost::json::object& totals) {
  for (auto& [provider, routes] : totals) {
    if (!routes.is_object()) continue;
    auto& async = routes.as_object()["async"];
    if (!async.is_object()) async = boost::json::object{};
    auto& o = async.as_object();
    o["attempts"] = (o.contains("attempts") ? o["attempts"].to_number<std::int64_t>() : 0) + 1;
    o["fallbacks"] = (o.contains("fallbacks") ? o["fallbacks"].to_number<std::int64_t>() : 0) + 1;
  }
}

// One phantom ok upload per provider and route, in the JSON and in the Prometheus text alike.
void add_phantom_ok_upload(boost::json::object& totals, boost::json::value* prometheus) {
  std::string extra;
  for (auto& [provider, routes] : totals) {
    if (!routes.is_object()) continue;
    for (auto& [route, t] : routes.as_object()) {
      if (!t.is_object()) continue;
      auto& o = t.as_object();
      o["uploads_ok"] =
          (o.contains("uploads_ok") ? o["uploads_ok"].to_number<std::int64_t>() : 0) + 1;
      extra += fmt::format(
          "rollproof_upload_uploads_total{{provider=\"{}\",route=\"{}\",outcome=\"ok\",phantom="
          "\"1\"}} "
          "1\n",
          std::string_view(provider), std::string_view(route));
    }
  }
  if (prometheus != nullptr && prometheus->is_string())
    *prometheus = std::string(prometheus->as_string()) + extra;
}

// The Prometheus text claims one more sync attempt per provider than the JSON and the wire.
void add_phantom_prometheus_attempt(boost::json::object& totals, boost::json::value* prometheus) {
  if (prometheus == nullptr || !prometheus->is_string()) return;
  std::string text(prometheus->as_string());
  for (const auto& [provider, routes] : totals)
    text += fmt::format(
        "rollproof_upload_attempts_total{{provider=\"{}\",route=\"sync\",outcome=\"phantom\"}} 1\n",
        std::string_view(provider));
  *prometheus = text;
}

// Answers pass through here: the metrics and hello defects are applied on the way out.
std::string rewrite_answer(const std::string& line) {
  if (state.kind != break_kind::lying_metrics && state.kind != break_kind::inflates_ok_metrics &&
      state.kind != break_kind::lying_prometheus && state.kind != break_kind::no_metrics &&
      state.kind != break_kind::leaks_key_in_configure)
    return line;
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return line;
  if (state.kind == break_kind::leaks_key_in_configure) {
    const auto* id = v.as_object().if_contains("id");
    if (id == nullptr || !id->is_string() || id->as_string() != state.configure_id) return line;
    v.as_object()["echo_api_key"] = state.echoed_key;
    return boost::json::serialize(v);
  }
  if (state.kind == break_kind::no_metrics) {
    auto* caps = v.as_object().if_contains("capabilities");
    if (caps == nullptr || !caps->is_array()) return line;
    auto& list = caps->as_array();
    for (auto it = list.begin(); it != list.end();)
      it = it->is_string() && it->as_string() == "metrics" ? list.erase(it) : it + 1;
    return boost::json::serialize(v);
  }
  auto* m = v.as_object().if_contains("metrics");
  if (m == nullptr || !m->is_object()) return line;
  auto* totals = m->as_object().if_contains("totals");
  if (totals == nullptr || !totals->is_object()) return line;
  auto* prometheus = v.as_object().if_contains("prometheus");
  if (state.kind == break_kind::lying_metrics) add_phantom_attempt(totals->as_object());
  if (state.kind == break_kind::inflates_ok_metrics)
    add_phantom_ok_upload(totals->as_object(), prometheus);
  if (state.kind == break_kind::lying_prometheus)
    add_phantom_prometheus_attempt(totals->as_object(), prometheus);
  return boost::json::serialize(v);
}

ssize_t cookie_write(void*, const char* data, std::size_t size) {
  std::lock_guard lock{state.mutex};
  state.pending.append(data, size);
  std::size_t nl;
  while ((nl = state.pending.find('\n')) != std::string::npos) {
    const std::string out = rewrite_answer(state.pending.substr(0, nl)) + "\n";
    state.pending.erase(0, nl + 1);
    std::fwrite(out.data(), 1, out.size(), state.real_out);
    std::fflush(state.real_out);
  }
  return static_cast<ssize_t>(size);
}

std::string corrupted_copy(const std::string& path) {
  std::lock_guard lock{state.mutex};
  if (auto it = state.corrupted.find(path); it != state.corrupted.end()) return it->second;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string bytes = std::move(text).str();
  if (!bytes.empty()) bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  const auto copy = std::filesystem::temp_directory_path() /
                    fmt::format("rollproof-broken-{}-{}", ::getpid(), state.corrupted.size());
  std::ofstream(copy, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return state.corrupted[path] = copy.string();
}

// Byte sum of the id: most ids of one shape land in a narrow band of buckets.
std::uint32_t biased_bucket(std::string_view user) {
  std::uint32_t sum = 0;
  for (unsigned char c : user)
    sum += c;
  return (sum * 37) % 10000;
}

// The port of a provider base_url on loopback (http://127.0.0.1:PORT/...), or 0.
int port_of_base_url(std::string_view url) {
  constexpr std::string_view scheme = "http://127.0.0.1:";
  if (!url.starts_with(scheme)) return 0;
  return std::atoi(std::string(url.substr(scheme.size())).c_str());
}

// Sends `method path` with a JSON body to 127.0.0.1:port without any admin token, as a subject
// that wants to change its own test would, and reports the status line on stderr.
void send_admin_request(int port, std::string_view method, std::string_view path,
                        std::string_view body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string request = fmt::format(
        "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        method, path, body.size(), body);
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char head[64] = {};
      const ssize_t n = ::recv(fd, head, sizeof head - 1, 0);
      const std::string answer(head, n > 0 ? static_cast<std::size_t>(n) : 0);
      std::cerr << "tampers_harness: " << method << ' ' << path << " -> "
                << answer.substr(0, answer.find('\r')) << std::endl;
    }
  }
  ::close(fd);
}

// Starts `sleep 3600` with the subject's stdout and stderr, in a new session (setsid) or in the
// subject's process group, and says its pid on stderr.
void start_grandchild(bool new_session) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (new_session) ::setsid();
    char sleep_name[] = "sleep";
    char seconds[] = "3600";
    char* args[] = {sleep_name, seconds, nullptr};
    ::execv("/bin/sleep", args);
    ::_exit(127);
  }
  std::cerr << (new_session ? "setsid_grandchild" : "group_grandchild") << ": grandchild pid "
            << pid << std::endl;
}

// Every provider's api_key in a configure request, by provider name.
std::map<std::string, std::string> keys_of(const boost::json::object& r) {
  std::map<std::string, std::string> keys;
  const auto* providers = r.if_contains("providers");
  if (providers == nullptr || !providers->is_object()) return keys;
  for (const auto& [name, p] : providers->as_object()) {
    const auto* key = p.is_object() ? p.as_object().if_contains("api_key") : nullptr;
    if (key != nullptr && key->is_string()) keys[std::string(name)] = std::string(key->as_string());
  }
  return keys;
}

// Applies the request-side defects; returns the line to hand to the real subject, or an empty
// string when the broken subject answered the request itself.
std::string rewrite_request(const std::string& line, std::FILE* out) {
  if (state.kind == break_kind::none || state.kind == break_kind::lying_metrics ||
      state.kind == break_kind::inflates_ok_metrics || state.kind == break_kind::lying_prometheus ||
      state.kind == break_kind::no_metrics)
    return line;
  boost::system::error_code ec;
  auto v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return line;
  auto& r = v.as_object();
  const auto* op_v = r.if_contains("op");
  const std::string op = op_v != nullptr && op_v->is_string() ? std::string(op_v->as_string()) : "";
  const std::string id =
      r.contains("id") && r["id"].is_string() ? std::string(r["id"].as_string()) : "";
  if (op == "configure") {
    auto* flags = r.if_contains("flags");
    auto* flag = flags != nullptr && flags->is_object()
                     ? flags->as_object().if_contains("async_upload")
                     : nullptr;
    if (flag != nullptr && flag->is_object()) {
      auto& f = flag->as_object();
      const double percent =
          f.contains("rollout_percent") ? f["rollout_percent"].to_number<double>() : 0;
      const std::string salt = f.contains("salt") && f["salt"].is_string()
                                   ? std::string(f["salt"].as_string())
                                   : "async_upload";
      state.flag_enabled =
          f.contains("enabled") && f["enabled"].is_bool() && f["enabled"].as_bool();
      state.flag_percent = percent;
      if (state.kind == break_kind::non_sticky) f["salt"] = fmt::format("{}:{}", salt, ::getpid());
      if (state.kind == break_kind::non_monotonic) f["salt"] = fmt::format("{}:{}", salt, percent);
      if (state.kind == break_kind::ignores_percent && state.flag_enabled)
        f["rollout_percent"] = 50.0;
    }
    if (state.kind == break_kind::no_fallback) {
      auto& settings = r["settings"];
      if (!settings.is_object()) settings = boost::json::object{};
      settings.as_object()["fallback"] = false;
    }
    if (state.kind == break_kind::tampers_harness) {
      auto* providers = r.if_contains("providers");
      if (providers != nullptr && providers->is_object()) {
        for (const auto& [name, p] : providers->as_object()) {
          const auto* url = p.is_object() ? p.as_object().if_contains("base_url") : nullptr;
          const int port =
              url != nullptr && url->is_string() ? port_of_base_url(url->as_string()) : 0;
          if (port == 0) continue;
          send_admin_request(port, "PUT", "/_mock/faults", R"({"rules":[]})");
          send_admin_request(port, "POST", "/_mock/reset", "{}");
        }
      }
    }
    if (state.kind == break_kind::leaks_key) {
      for (const auto& [name, key] : keys_of(r))
        std::cerr << "debug: provider " << name << " key " << key << std::endl;
    }
    if (state.kind == break_kind::leaks_key_plain_stdout) {
      for (const auto& [name, key] : keys_of(r))
        std::fprintf(out, "debug: provider %s key %s\n", name.c_str(), key.c_str());
    }
    if (state.kind == break_kind::leaks_key_early_stderr) {
      for (const auto& [name, key] : keys_of(r))
        std::cerr << "debug: provider " << name << " key " << key << "\n";
      // 64 KiB of harmless stderr after the key: more than any bounded tail keeps.
      const std::string filler(63, '.');
      for (int i = 0; i < 1024; ++i)
        std::cerr << filler << '\n';
      std::cerr.flush();
    }
    if (state.kind == break_kind::leaks_key_in_configure) {
      const auto keys = keys_of(r);
      const std::lock_guard lock{state.mutex};  // cookie_write reads them
      if (!keys.empty()) state.configure_id = id, state.echoed_key = keys.begin()->second;
    }
    if (state.kind == break_kind::setsid_grandchild || state.kind == break_kind::group_grandchild)
      start_grandchild(state.kind == break_kind::setsid_grandchild);
    if (state.kind == break_kind::stops_reading) {
      // Before the configure answer goes out: the runner sends the uploads as soon as it has it,
      // and a pipe holding more than a page can no longer shrink to one.
      ::fcntl(STDIN_FILENO, F_SETPIPE_SZ, 4096);
      state.stop_reading = true;
    }
  } else if (op == "bucket" && state.kind == break_kind::biased_bucketing) {
    const auto* users = r.if_contains("users");
    if (users != nullptr && users->is_array()) {
      boost::json::array buckets, enabled;
      for (const auto& u : users->as_array()) {
        const auto b = u.is_string() ? biased_bucket(u.as_string()) : 0u;
        buckets.emplace_back(b);
        enabled.emplace_back(state.flag_enabled && b < state.flag_percent * 100);
      }
      const std::string answer = boost::json::serialize(boost::json::object{
          {"id", id}, {"ok", true}, {"scale", 10000}, {"buckets", buckets}, {"enabled", enabled}});
      std::fprintf(out, "%s\n", answer.c_str());
      return {};
    }
  } else if (op == "upload") {
    const unsigned n = state.uploads++;
    if (state.kind == break_kind::loses_uploads && n % 5 == 4) {
      // Claims success for an upload it never sent.
      const std::string answer =
          boost::json::serialize(boost::json::object{{"id", id},
                                                     {"ok", true},
                                                     {"file_id", fmt::format("file-lost-{}", n)},
                                                     {"route", "sync"},
                                                     {"fallback", false},
                                                     {"attempts", 1},
                                                     {"status", 200},
                                                     {"bytes", 0},
                                                     {"elapsed_us", 1}});
      std::fprintf(out, "%s\n", answer.c_str());
      return {};
    }
    if (state.kind == break_kind::corrupts_bytes && r.contains("file") && r["file"].is_string())
      r["file"] = corrupted_copy(std::string(r["file"].as_string()));
  }
  return boost::json::serialize(v);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string usage =
      "Usage: rollproof-broken-subject --break=KIND | --help | --version\nKIND: " +
      rollproof::broken::kind_names() + "\n";
  std::string kind_name;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "rollproof-broken-subject: the rollproof-upload subject with exactly one "
                   "defect, for the\nrollout scenarios that show each defect is caught\n"
                << usage << "Exit codes: 0 stdin ended or shutdown answered; 2 usage.\n";
      return 0;
    }
    if (arg == "--version") {
      std::cout << "rollproof-broken-subject " << ROLLPROOF_UPLOAD_VERSION << "\n";
      return 0;
    }
    if (arg.starts_with("--break=")) kind_name = arg.substr(8);
  }
  const auto kind = rollproof::broken::parse_break_kind(kind_name);
  if (!kind) {
    std::cerr << usage;
    return 2;
  }
  state.kind = *kind;
  cookie_io_functions_t io{nullptr, cookie_write, nullptr, nullptr};
  std::FILE* out = ::fopencookie(nullptr, "w", io);
  if (out == nullptr) return 3;
  // Unbuffered: every answer line reaches cookie_write in one piece, in the order written.
  std::setvbuf(out, nullptr, _IONBF, 0);
  int status = 0;
  {
    rollproof::upload::subject session{out, std::cerr, rollproof::upload::process_environment()};
    std::string line;
    bool running = true;
    while (running && std::getline(std::cin, line)) {
      const std::string passed = rewrite_request(line, out);
      if (!passed.empty()) running = session.handle(passed);
      if (state.stop_reading) {
        // The configure answer is out; from here on nothing more is read, and the one-page pipe
        // fills after a few requests.
        for (;;)
          ::pause();
      }
    }
    if (running) session.finish();
  }
  std::fclose(out);
  for (const auto& [from, copy] : state.corrupted)
    std::filesystem::remove(copy);
  return status;
}
