// ChangeListener: a thread with a connection of its own that LISTENs on the
// change channel and bumps `generations` for every change notice a node
// commits (this one's included). Until it first listens, and whenever its
// connection breaks, notices may be lost: it bumps every topic once it
// listens (again), retrying every second, and checks an idle connection
// every 10 seconds so a silently dropped one is found. Stops promptly when
// destroyed.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "store/change_notices.h"
#include "store/postgres/connection.h"

namespace phishdrill::pg {

class ChangeListener {
 public:
  ChangeListener(std::string url, ChangeGenerations& generations);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

 private:
  void run();
  std::unique_ptr<Connection> listen();
  enum class Woken { kInput, kTimeout, kStop };
  // Waits until `socket` (none when negative) has input, `timeout_ms`
  // passes or stop is asked.
  Woken wait(int socket, int timeout_ms);
  void drain(Connection& conn);

  std::string url_;
  ChangeGenerations& generations_;
  std::string channel_;  // the listener thread's own
  int wake_fd_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace phishdrill::pg
