#include "store/postgres/pool.h"

namespace phishdrill::pg {

PooledConnection::~PooledConnection() {
  if (conn_) pool_->give_back(std::move(conn_));
}

Result<PooledConnection> Pool::checkout() {
  {
    MutexLock lock(mutex_);
    const bool ready = lock.wait_for(
        returned_, options_.checkout_timeout,
        [&]() PD_REQUIRES(mutex_) { return !idle_.empty() || open_ < options_.size; });
    if (!ready) {
      return fail(ErrorCode::kUnavailable, "no database connection free within the timeout");
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return PooledConnection(*this, std::move(conn));
    }
    ++open_;  // reserve the slot; connect without holding the lock
  }
  auto opened = Connection::open(url_, options_.access);
  if (!opened) {
    MutexLock lock(mutex_);
    --open_;
    returned_.notify_one();
    return std::unexpected(std::move(opened).error());
  }
  return PooledConnection(*this, std::move(*opened));
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
  const bool reusable = conn->healthy() && conn->idle();
  if (!reusable) conn.reset();  // close outside the lock
  MutexLock lock(mutex_);
  if (reusable) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  returned_.notify_one();
}

int Pool::open_connections() {
  MutexLock lock(mutex_);
  return open_;
}

}  // namespace phishdrill::pg
