#include "rollproof/mock/upload_sink.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "rollproof/mock/utf8.hpp"

namespace rollproof::mock {

namespace {

// Why `name` cannot be stored as a filename, or nullopt.
std::optional<std::string> filename_problem(std::string_view name) {
  if (name.find('\0') != std::string_view::npos) return "filename must not contain a NUL byte";
  if (!is_utf8(name)) return "filename must be valid UTF-8";
  return std::nullopt;
}

}  // namespace

upload_sink::upload_sink(sink_options options) : options_(std::move(options)) {}

upload_sink::~upload_sink() {
  if (out_ != nullptr) std::fclose(out_);
  if (!temp_path_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
}

void upload_sink::on_part_begin(const part_header& header) {
  in_file_ = false;
  in_purpose_ = false;
  in_filename_field_ = false;
  if (header.name == "filename" && !filename_field_) {
    filename_field_ = std::string();
    in_filename_field_ = true;
  } else if (header.name == "purpose" && !purpose_) {
    purpose_ = std::string();
    in_purpose_ = true;
  } else if (header.name == "file" && !has_file_) {
    has_file_ = true;
    in_file_ = true;
    if (header.filename) {
      note_name_problem(filename_problem(*header.filename));
      filename_ = to_utf8(*header.filename);
    }
    content_type_ = to_utf8(header.content_type);
    if (options_.mode == store_mode::directory) {
      static std::atomic<std::uint64_t> counter{0};
      temp_path_ = options_.directory / fmt::format(".upload-{}-{}", ::getpid(), ++counter);
      out_ = std::fopen(temp_path_.c_str(), "wb");
    }
  }
}

void upload_sink::on_part_data(std::string_view bytes) {
  if (in_purpose_) {
    // A purpose is a short word; a huge field is not one, and must not grow memory.
    if (purpose_->size() + bytes.size() <= 256) purpose_->append(bytes);
    return;
  }
  if (in_filename_field_) {
    const std::size_t room = filename_field_cap - filename_field_->size();
    if (bytes.size() > room) filename_field_truncated_ = true;
    filename_field_->append(bytes.substr(0, room));
    return;
  }
  if (!in_file_) return;
  std::string flipped;
  if (options_.corrupt_offset && *options_.corrupt_offset >= bytes_ &&
      *options_.corrupt_offset < bytes_ + bytes.size()) {
    flipped = std::string(bytes);
    flipped[*options_.corrupt_offset - bytes_] ^= static_cast<char>(0xff);
    bytes = flipped;
  }
  const std::uint64_t before = bytes_;
  bytes_ += bytes.size();
  hash_.update(bytes);
  if (bytes_ > options_.max_file_bytes) return;  // refused later; keep hashing, keep nothing
  if (text_ok_) {
    if (std::memchr(bytes.data(), '\0', bytes.size()) != nullptr) {
      text_ok_ = false;
      text_.clear();
    } else if (before < options_.text_cap) {
      text_.append(bytes.substr(0, options_.text_cap - before));
    }
  }
  if (options_.mode == store_mode::memory) data_.append(bytes);
  if (out_ != nullptr) std::fwrite(bytes.data(), 1, bytes.size(), out_);
}

void upload_sink::on_part_end() {
  if (in_file_) file_done_ = true;
  if (in_purpose_) purpose_ = to_utf8(*purpose_);
  if (in_filename_field_) {
    note_name_problem(filename_problem(*filename_field_));
    filename_field_ = to_utf8(*filename_field_);
  }
  in_file_ = false;
  in_purpose_ = false;
  in_filename_field_ = false;
}

void upload_sink::note_name_problem(std::optional<std::string> problem) {
  if (problem && !name_problem_) name_problem_ = std::move(problem);
}

std::string upload_sink::finish_hash() {
  if (!hash_hex_) hash_hex_ = hash_.finish();
  return *hash_hex_;
}

void upload_sink::keep_into(stored_file& f) {
  f.content_type = content_type_;
  f.is_text = text_ok_ && bytes_ > 0 && is_utf8_prefix(text_);
  if (f.is_text) f.text = std::move(text_);
  if (options_.mode == store_mode::memory) f.data = std::move(data_);
  if (out_ != nullptr) {
    std::fclose(out_);
    out_ = nullptr;
    const auto target = options_.directory / f.id;
    std::error_code ec;
    std::filesystem::rename(temp_path_, target, ec);
    if (!ec) {
      f.path = target;
      temp_path_.clear();
    }
  }
}

}  // namespace rollproof::mock
