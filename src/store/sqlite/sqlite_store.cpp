// SqliteStore: one writer connection, serialised by a mutex (each write is a
// BEGIN IMMEDIATE transaction), and a few reader connections that run read
// transactions beside it in WAL mode, so a look-up on the tracking path never
// queues behind the group commit's fsync.
#include "store/sqlite/sqlite_store.h"

#include <condition_variable>
#include <memory>
#include <vector>

#include "core/mutex.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/repository_set.h"
#include "store/store.h"

namespace phishdrill {
namespace {

constexpr int kReaders = 4;

using sqlite::ConnectionRole;
using sqlite::RepositorySet;

// Runs `work` in a transaction opened with `begin` (a literal) on `set`. The
// transaction statements are prepared once per connection: parsing them cost
// more than a tracking look-up itself.
// What it announced is published to `generations` once it commits.
Result<void> run_in(RepositorySet& set, const Store::Work& work, const char* begin,
                    ChangeGenerations& generations) {
  set.notices().clear();
  try {
    set.db().cached(begin).run();
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("database: ") + e.what());
  }
  try {
    auto result = work(set.repositories());
    set.db().cached(result ? "COMMIT" : "ROLLBACK").run();
    if (result) set.notices().publish(generations);
    return result;
  } catch (const std::exception& e) {
    try {
      set.db().exec("ROLLBACK");
    } catch (...) {
      // The transaction may already be gone; nothing more to undo.
    }
    return fail(ErrorCode::kInternal, std::string("database: ") + e.what());
  }
}

// The reader connections; a read waits for an idle one.
class ReaderPool {
 public:
  ReaderPool(const std::string& path, const SecretKey& key, int size) {
    for (int i = 0; i < size; ++i) {
      all_.push_back(std::make_unique<RepositorySet>(path, ConnectionRole::kReader, key));
    }
    MutexLock lock(mutex_);
    for (auto& set : all_) idle_.push_back(set.get());
  }

  Result<void> read(const Store::Work& work, ChangeGenerations& generations) {
    RepositorySet* set = nullptr;
    {
      MutexLock lock(mutex_);
      lock.wait(returned_, [&]() PD_REQUIRES(mutex_) { return !idle_.empty(); });
      set = idle_.back();
      idle_.pop_back();
    }
    auto result = run_in(*set, work, "BEGIN", generations);
    {
      MutexLock lock(mutex_);
      idle_.push_back(set);
    }
    returned_.notify_one();
    return result;
  }

 private:
  std::vector<std::unique_ptr<RepositorySet>> all_;  // fixed after construction
  Mutex mutex_;
  std::condition_variable returned_;
  std::vector<RepositorySet*> idle_ PD_GUARDED_BY(mutex_);
};

class SqliteStore final : public Store {
 public:
  // The writer opens (and creates) the file first; the readers join it.
  SqliteStore(const std::string& path, const SecretKey& key)
      : writer_(path, ConnectionRole::kWriter, key), readers_(path, key, kReaders) {}

  Result<void> write(const Work& work) override {
    MutexLock lock(writer_mutex_);
    return run_in(writer_, work, "BEGIN IMMEDIATE", generations_);
  }
  Result<void> read(const Work& work) override { return readers_.read(work, generations_); }
  const ChangeGenerations& generations() const override { return generations_; }

  Result<int> migrate() override {
    MutexLock lock(writer_mutex_);
    try {
      const int applied = sqlite::apply_migrations(writer_.db());
      writer_.db().exec("BEGIN IMMEDIATE");
      try {
        writer_.seal_plain_webhook_urls();
        writer_.db().exec("COMMIT");
      } catch (...) {
        writer_.db().exec("ROLLBACK");
        throw;
      }
      return applied;
    } catch (const std::exception& e) {
      return fail(ErrorCode::kInternal, std::string("migration failed: ") + e.what());
    }
  }

 private:
  Mutex writer_mutex_;  // one write transaction at a time on the writer connection
  RepositorySet writer_ PD_GUARDED_BY(writer_mutex_);
  ReaderPool readers_;
  ChangeGenerations generations_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const crypto::SecretKey& key) {
  try {
    return std::make_unique<SqliteStore>(path, key);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, e.what());
  }
}

}  // namespace phishdrill
