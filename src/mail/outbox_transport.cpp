#include "mail/outbox_transport.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace phishdrill {
namespace {

constexpr std::size_t kMaxStemLength = 200;  // file names are limited to 255 bytes

bool is_file_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// FNV-1a: stable across runs and builds (std::hash is not).
std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// The Message-ID with every byte outside [A-Za-z0-9._-] replaced by '_', so
// it cannot name another directory; over-long IDs are cut and made unique
// again with a hash of the whole ID.
std::string file_name_for(std::string_view message_id) {
  std::string stem;
  stem.reserve(message_id.size());
  for (const char c : message_id) stem.push_back(is_file_name_char(c) ? c : '_');
  if (stem.size() > kMaxStemLength) {
    stem.resize(kMaxStemLength - 17);
    stem += fmt::format("-{:016x}", fnv1a(message_id));
  }
  return stem + ".eml";
}

std::uint64_t random_u64() {
  std::uint64_t value = 0;
  if (getrandom(&value, sizeof value, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof value)) {
    static std::atomic<std::uint64_t> fallback{0};
    value = fallback.fetch_add(1) ^ static_cast<std::uint64_t>(getpid());
  }
  return value;
}

std::string errno_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

SendOutcome permanent(std::string reason) {
  return SendOutcome{SendOutcome::Status::kPermanent, 0, std::move(reason)};
}

// Closes the descriptor and removes the temporary file unless released.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Closes the descriptor; returns errno on failure, 0 on success.
  int close() {
    const int result = ::close(std::exchange(fd_, -1));
    return result == 0 ? 0 : errno;
  }
  void keep() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// Makes the rename itself durable; failure here is not fatal to the send
// (the file is complete either way), so it is ignored.
void sync_directory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

OutboxTransport::OutboxTransport(std::string directory) : directory_(std::move(directory)) {}

SendOutcome OutboxTransport::send(std::string_view /*envelope_from*/,
                                  std::string_view /*recipient*/, std::string_view message_id,
                                  std::string_view mime) {
  if (message_id.empty()) return permanent("the message has no Message-ID");
  if (directory_.empty()) return permanent("no outbox directory configured");

  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) {
    return permanent(
        fmt::format("cannot create outbox directory {}: {}", directory_, error.message()));
  }

  const std::string final_path = (std::filesystem::path(directory_) / file_name_for(message_id));
  // Hidden and without the .eml suffix, so nothing picks up a half-written
  // file; unique across processes and instances sharing the directory.
  const std::string temp_path =
      (std::filesystem::path(directory_) /
       fmt::format(".{}.{}-{:016x}.tmp", file_name_for(message_id), getpid(), random_u64()));

  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return permanent(fmt::format("cannot create {}: {}", temp_path, errno_text(errno)));
  }
  TempFile temp(fd, temp_path);
  if (const int write_error = write_all(temp.fd(), mime); write_error != 0) {
    return permanent(fmt::format("cannot write {}: {}", temp_path, errno_text(write_error)));
  }
  if (::fsync(temp.fd()) != 0) {
    return permanent(fmt::format("cannot sync {}: {}", temp_path, errno_text(errno)));
  }
  if (const int close_error = temp.close(); close_error != 0) {
    return permanent(fmt::format("cannot close {}: {}", temp_path, errno_text(close_error)));
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    return permanent(
        fmt::format("cannot rename {} to {}: {}", temp_path, final_path, errno_text(errno)));
  }
  temp.keep();
  sync_directory(directory_);
  return SendOutcome{SendOutcome::Status::kSent, 0, "written to " + final_path};
}

}  // namespace phishdrill
