// SqliteStore: one connection, serialised by a mutex; each write is a
// BEGIN IMMEDIATE transaction. Adequate for the admin API; the tracking hot
// path gets its own group-committing writer (see DESIGN.md "Pipelines").
#include "store/sqlite/sqlite_store.h"

#include "core/mutex.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/repositories.h"
#include "store/store.h"

namespace phishdrill {
namespace {

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const crypto::SecretKey& key)
      : key_(key),
        db_(path),
        accounts_(db_),
        sign_ins_(db_),
        sessions_(db_),
        audit_(db_),
        groups_(db_),
        templates_(db_),
        pages_(db_),
        profiles_(db_),
        campaigns_(db_),
        send_queue_(db_),
        events_(db_),
        results_(db_),
        webhooks_(db_, key_),
        training_(db_),
        portal_(db_),
        training_mail_(db_),
        repositories_{accounts_, sign_ins_, sessions_,  audit_,        groups_, templates_,
                      pages_,    profiles_, campaigns_, send_queue_,   events_, results_,
                      webhooks_, training_, portal_,    training_mail_} {}

  Result<void> write(const Work& work) override { return run(work, "BEGIN IMMEDIATE"); }
  Result<void> read(const Work& work) override { return run(work, "BEGIN"); }

  Result<int> migrate() override {
    MutexLock lock(mutex_);
    try {
      const int applied = sqlite::apply_migrations(db_);
      db_.exec("BEGIN IMMEDIATE");
      try {
        webhooks_.seal_plain_urls();
        db_.exec("COMMIT");
      } catch (...) {
        db_.exec("ROLLBACK");
        throw;
      }
      return applied;
    } catch (const std::exception& e) {
      return fail(ErrorCode::kInternal, std::string("migration failed: ") + e.what());
    }
  }

 private:
  Result<void> run(const Work& work, const char* begin) {
    MutexLock lock(mutex_);
    try {
      db_.exec(begin);
    } catch (const std::exception& e) {
      return fail(ErrorCode::kInternal, std::string("database: ") + e.what());
    }
    try {
      auto result = work(repositories_);
      db_.exec(result ? "COMMIT" : "ROLLBACK");
      return result;
    } catch (const std::exception& e) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {
        // The transaction may already be gone; nothing more to undo.
      }
      return fail(ErrorCode::kInternal, std::string("database: ") + e.what());
    }
  }

  crypto::SecretKey key_;
  Mutex mutex_;  // one transaction at a time on the one connection: guards db_ and the repositories
  sqlite::Connection db_ PD_GUARDED_BY(mutex_);
  sqlite::SqliteAccounts accounts_;
  sqlite::SqliteSignIns sign_ins_;
  sqlite::SqliteSessions sessions_;
  sqlite::SqliteAudit audit_;
  sqlite::SqliteGroups groups_;
  sqlite::SqliteTemplates templates_;
  sqlite::SqliteLandingPages pages_;
  sqlite::SqliteSendingProfiles profiles_;
  sqlite::SqliteCampaigns campaigns_;
  sqlite::SqliteSendQueue send_queue_;
  sqlite::SqliteEvents events_;
  sqlite::SqliteResults results_;
  sqlite::SqliteWebhooks webhooks_;
  sqlite::SqliteTraining training_;
  sqlite::SqlitePortal portal_;
  sqlite::SqliteTrainingMailQueue training_mail_;
  Repositories repositories_ PD_GUARDED_BY(mutex_);
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
