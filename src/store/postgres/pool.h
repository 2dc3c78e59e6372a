// Pool: a bounded set of connections to one database, shared by every
// transaction of a store. checkout() hands out an idle connection, opens a
// new one while fewer than `size` exist, or waits up to the checkout timeout
// for one to come back (then kUnavailable). A connection comes back when its
// PooledConnection goes out of scope; one that broke or still has a
// transaction open is closed instead, and a later checkout opens a fresh
// one in its place. Every connection it opens has the options' access (a
// read-only pool's sessions refuse writes). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/mutex.h"
#include "store/postgres/connection.h"

namespace phishdrill::pg {

class Pool;

// A connection checked out of a Pool, returned to it on destruction.
class PooledConnection {
 public:
  PooledConnection(Pool& pool, std::unique_ptr<Connection> conn)
      : pool_(&pool), conn_(std::move(conn)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  PooledConnection(const PooledConnection&) = delete;
  ~PooledConnection();

  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

struct PoolOptions {
  int size = 8;
  std::chrono::milliseconds checkout_timeout{5000};
  Access access = Access::kReadWrite;  // of every connection the pool opens
};

class Pool {
 public:
  Pool(std::string url, PoolOptions options) : url_(std::move(url)), options_(options) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Result<PooledConnection> checkout();
  // Connections open now, idle or checked out (tests use it).
  int open_connections();

 private:
  friend class PooledConnection;
  void give_back(std::unique_ptr<Connection> conn);

  const std::string url_;
  const PoolOptions options_;
  Mutex mutex_;  // guards the idle list and the count of open connections
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_ PD_GUARDED_BY(mutex_);
  int open_ PD_GUARDED_BY(mutex_) = 0;  // idle, checked out, or being opened
};

}  // namespace phishdrill::pg
