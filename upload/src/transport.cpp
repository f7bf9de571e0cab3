#include "rollproof/upload/transport.hpp"

#include <fmt/format.h>

namespace rollproof::upload {

std::string_view to_string(route r) {
  return r == route::sync ? "sync" : "async";
}

std::string user_agent(route r) {
  return fmt::format("rollproof-upload/{} (route={})", ROLLPROOF_UPLOAD_VERSION, to_string(r));
}

}  // namespace rollproof::upload
