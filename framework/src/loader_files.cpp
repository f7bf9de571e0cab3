// Scenario inputs: files read without blocking on odd paths, FILE|DIR arguments expanded into
// files, names unique across them, and the paths under --out that a scenario may name.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "loader_sections.hpp"
#include "rollproof/framework/loader.hpp"

namespace rollproof::framework {

std::optional<std::string> not_a_scenario_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);  // follows links: a loop is ELOOP
  if (st.type() == std::filesystem::file_type::not_found) return "no such file or directory";
  if (ec) return ec.message();  // "Too many levels of symbolic links", "Permission denied", ...
  switch (st.type()) {
    case std::filesystem::file_type::regular:
      return std::nullopt;
    case std::filesystem::file_type::fifo:
      return "not a regular file (a FIFO)";
    case std::filesystem::file_type::character:
    case std::filesystem::file_type::block:
      return "not a regular file (a device)";
    case std::filesystem::file_type::socket:
      return "not a regular file (a socket)";
    default:
      return "not a regular file";
  }
}

std::expected<scenario, diagnostics> load_scenario(const std::filesystem::path& file) {
  const auto refuse = [&](std::string why) {
    return std::unexpected(diagnostics{diagnostic{{file.string()}, std::move(why)}});
  };
  // O_NONBLOCK: a FIFO opens at once (and is then refused) instead of waiting for a writer.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return refuse(errno == ENOENT ? "cannot open the file"
                                  : fmt::format("cannot open the file: {}", std::strerror(errno)));
  struct ::stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return refuse(not_a_scenario_file(file).value_or("not a regular file"));
  }
  std::string text;
  char block[65536];
  ssize_t n = 0;
  while ((n = ::read(fd, block, sizeof block)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) text.append(block, static_cast<std::size_t>(n));
  const int read_errno = errno;
  ::close(fd);
  if (n < 0) return refuse(fmt::format("cannot read the file: {}", std::strerror(read_errno)));
  return load_scenario_text(text, file.string());
}

std::expected<std::vector<std::filesystem::path>, diagnostics> find_scenario_files(
    const std::vector<std::string>& arguments) {
  std::vector<std::filesystem::path> files;
  diagnostics missing;
  for (const auto& arg : arguments) {
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml")
          found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      if (found.empty())
        missing.push_back(diagnostic{{arg}, "no *.toml scenario files in this directory tree"});
      files.insert(files.end(), found.begin(), found.end());
    } else if (auto why = not_a_scenario_file(arg)) {
      missing.push_back(diagnostic{{arg}, *why});
    } else {
      files.emplace_back(arg);
    }
  }
  if (!missing.empty()) return std::unexpected(std::move(missing));
  return files;
}

namespace detail {

std::optional<std::string> store_error(std::string_view store) {
  if (store.empty() || store.find("..") != std::string_view::npos || store.front() == '/')
    return "'store' must be none, memory or a relative directory without '..'";
  const auto normal = std::filesystem::path(store).lexically_normal();
  const std::string first = normal.begin()->string();
  if (first == "." || first.empty())
    return fmt::format("'store' = \"{}\" names --out itself; give a directory under it", store);
  // The report files (junit.xml, evidence.json, ...) and the corpus cache (.corpus) all have a
  // '.' in their names, so a first part without one never names them, today or later.
  if (first.find('.') != std::string::npos)
    return fmt::format(
        "'store' = \"{}\" could name a file the runner writes in --out ('{}'): the first part of "
        "a store directory must not contain '.', as report files and the corpus cache do",
        store, first);
  return std::nullopt;
}

}  // namespace detail

diagnostics duplicate_names(const std::vector<scenario>& scenarios) {
  diagnostics found;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (scenarios[j].name != scenarios[i].name) continue;
      const auto& first = scenarios[j].name_where;
      found.push_back(diagnostic{
          scenarios[i].name_where,
          fmt::format("scenario name '{}' is also used by {}:{}:{} (names must be unique: case "
                      "ids start with them)",
                      scenarios[i].name, first.file, first.line, first.column)});
      break;
    }
  }
  return found;
}

}  // namespace rollproof::framework
