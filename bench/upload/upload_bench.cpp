// Side-by-side bench of the two upload routes: the async (streaming) route is "ours", the sync
// (legacy, whole file in memory) route is the "peer". Each measurement runs a fresh
// rollproof-upload against rollproof-mock on 127.0.0.1 and reads the subject's peak RSS from
// wait4(2). Prints one JSON line per metric: {name, ours, peer, ratio, unit}. Not a ctest test.
//
// usage: rollproof-upload-bench [BIN_DIR] [--quick]

#include <sys/resource.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <boost/process.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace {

struct run_result {
  double seconds = 0;
  double peak_rss_mib = 0;
  int ok = 0;
  int failed = 0;
  std::uint64_t bytes = 0;
};

fs::path make_file(const fs::path& dir, std::size_t size) {
  const auto path = dir / ("bench-" + std::to_string(size) + ".bin");
  if (fs::exists(path) && fs::file_size(path) == size) return path;
  std::ofstream out{path, std::ios::binary};
  std::mt19937_64 rng{size};
  std::vector<std::uint64_t> block(1 << 17);
  for (std::size_t written = 0; written < size;) {
    for (auto& w : block)
      w = rng();
    const std::size_t n = std::min(size - written, block.size() * sizeof(std::uint64_t));
    out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(n));
    written += n;
  }
  return path;
}

// One fresh subject: configure the route, keep every upload in flight, shut down, reap with wait4.
run_result run_subject(const fs::path& bin, const std::string& base_url, bool async,
                       const fs::path& file, int uploads) {
  bp::opstream in;
  bp::ipstream out;
  bp::child subject{(bin / "rollproof-upload").string(), bp::std_in<in, bp::std_out> out,
                    bp::std_err > bp::null};
  const boost::json::object configure{
      {"id", "cfg"},
      {"op", "configure"},
      {"providers", {{"kimi", {{"base_url", base_url}, {"api_key", "sk-bench"}}}}},
      {"flags", {{"async_upload", {{"enabled", async}, {"rollout_percent", 100.0}}}}},
      {"settings", {{"sync_workers", 8}, {"async_max_in_flight", 64}, {"max_retries", 0}}}};
  in << boost::json::serialize(configure) << '\n' << std::flush;
  std::string line;
  std::getline(out, line);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < uploads; ++i) {
    const boost::json::object upload{{"id", "u" + std::to_string(i)},
                                     {"op", "upload"},
                                     {"provider", "kimi"},
                                     {"file", file.string()},
                                     {"purpose", "file-extract"},
                                     {"user", "u" + std::to_string(i)}};
    in << boost::json::serialize(upload) << '\n';
  }
  in << R"({"id":"bye","op":"shutdown"})" << '\n' << std::flush;
  run_result r;
  while (std::getline(out, line)) {
    const auto v = boost::json::parse(line).as_object();
    if (v.at("id").as_string() == "bye") break;
    if (v.at("ok").as_bool()) {
      ++r.ok;
      r.bytes += v.at("bytes").to_number<std::uint64_t>();
    } else {
      ++r.failed;
      if (r.failed == 1) std::cerr << "upload failed: " << line << '\n';
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int status = 0;
  rusage usage{};
  ::wait4(subject.id(), &status, 0, &usage);
  subject.detach();  // reaped above by wait4, which is the only way to get its rusage
  r.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
  return r;
}

void print(const std::string& name, double ours, double peer, const std::string& unit) {
  std::cout << boost::json::serialize(boost::json::object{{"name", name},
                                                          {"ours", ours},
                                                          {"peer", peer},
                                                          {"ratio", peer > 0 ? ours / peer : 0.0},
                                                          {"unit", unit}})
            << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path bin = fs::path{argv[0]}.parent_path();
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string{argv[i]} == "--quick")
      quick = true;
    else
      bin = argv[i];
  }
  const fs::path dir =
      fs::temp_directory_path() / ("rollproof-upload-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  bp::ipstream mock_out;
  bp::child mock{(bin / "rollproof-mock").string(),
                 "--provider",
                 "kimi",
                 "--listen",
                 "127.0.0.1:0",
                 "--api-key",
                 "sk-bench",
                 "--store",
                 "none",
                 "--max-file-size",
                 "1073741824",
                 "--max-files",
                 "1000000",
                 bp::std_out > mock_out,
                 bp::std_err > bp::null};
  std::string line, url;
  while (url.empty() && std::getline(mock_out, line))
    if (line.starts_with("READY ")) url = line.substr(6);
  if (url.empty()) {
    std::cerr << "rollproof-mock did not start\n";
    return 3;
  }
  const std::string base_url = url + "/v1";

  const std::vector<int> sizes_mib =
      quick ? std::vector<int>{1, 10} : std::vector<int>{1, 10, 50, 100};
  for (int mib : sizes_mib) {
    const auto file = make_file(dir, static_cast<std::size_t>(mib) << 20);
    const auto ours = run_subject(bin, base_url, true, file, 1);
    const auto peer = run_subject(bin, base_url, false, file, 1);
    const std::string name = "single_" + std::to_string(mib) + "MiB";
    print(name + ".peak_rss", ours.peak_rss_mib, peer.peak_rss_mib, "MiB");
    print(name + ".throughput", ours.bytes / ours.seconds / (1 << 20),
          peer.bytes / peer.seconds / (1 << 20), "MiB/s");
    if (ours.failed || peer.failed)
      print(name + ".failed_uploads", ours.failed, peer.failed, "uploads");
  }
  const auto one_mib = make_file(dir, 1 << 20);
  const std::vector<int> concurrency =
      quick ? std::vector<int>{10, 100} : std::vector<int>{10, 100, 1000};
  for (int n : concurrency) {
    const auto ours = run_subject(bin, base_url, true, one_mib, n);
    const auto peer = run_subject(bin, base_url, false, one_mib, n);
    const std::string name = "concurrent_" + std::to_string(n) + "x1MiB";
    print(name + ".peak_rss", ours.peak_rss_mib, peer.peak_rss_mib, "MiB");
    print(name + ".throughput", ours.ok / ours.seconds, peer.ok / peer.seconds, "uploads/s");
    if (ours.failed || peer.failed)
      print(name + ".failed_uploads", ours.failed, peer.failed, "uploads");
  }
  mock.terminate();
  mock.wait();
  fs::remove_all(dir);
  return 0;
}
