#include "store/postgres/change_listener.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cstdint>

#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace {

constexpr int kRetryMs = 1000;
constexpr int kCheckMs = 10000;

}  // namespace

ChangeListener::ChangeListener(std::string url, ChangeGenerations& generations)
    : url_(std::move(url)),
      generations_(generations),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      thread_([this] { run(); }) {}

ChangeListener::~ChangeListener() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof(one));
  thread_.join();
  ::close(wake_fd_);
}

std::unique_ptr<Connection> ChangeListener::listen() {
  auto conn = Connection::open(url_);
  if (!conn) return nullptr;
  try {
    channel_ = (*conn)->run(std::string("SELECT ") + kChangeChannelSql).text(0, 0);
    (*conn)->exec("LISTEN \"" + channel_ + "\"");  // letters and hex digits only
  } catch (const Failure&) {
    return nullptr;
  }
  generations_.bump_all();  // whatever changed while nobody listened
  return std::move(*conn);
}

ChangeListener::Woken ChangeListener::wait(int socket, int timeout_ms) {
  std::array<pollfd, 2> fds{pollfd{wake_fd_, POLLIN, 0}, pollfd{socket, POLLIN, 0}};
  const nfds_t count = socket >= 0 ? 2 : 1;
  const int ready = ::poll(fds.data(), count, timeout_ms);
  if (stopping_) return Woken::kStop;
  return ready > 0 ? Woken::kInput : Woken::kTimeout;
}

void ChangeListener::drain(Connection& conn) {
  conn.consume_input();
  for (const auto& payload : conn.take_notifications(channel_)) {
    if (const auto topic = topic_named(payload)) {
      generations_.bump(*topic);
    } else {
      generations_.bump_all();  // a newer node's topic: drop everything to be safe
    }
  }
}

void ChangeListener::run() {
  std::unique_ptr<Connection> conn;
  while (!stopping_) {
    if (!conn) {
      conn = listen();
      if (!conn && wait(-1, kRetryMs) == Woken::kStop) return;
      continue;
    }
    const auto woken = wait(conn->socket(), kCheckMs);
    if (woken == Woken::kStop) return;
    try {
      // A quiet connection is checked, so a silently dropped one is found.
      if (woken == Woken::kTimeout) conn->exec("SELECT 1");
      drain(*conn);
    } catch (const Failure&) {
      conn.reset();
    }
  }
}

}  // namespace phishdrill::pg
