#include "store/postgres/postgres_store.h"

#include "store/postgres/change_listener.h"
#include "store/postgres/migrations.h"
#include "store/postgres/repositories.h"

namespace phishdrill {
namespace {

// One transaction's repositories, bound to its connection.
struct PgRepositories {
  explicit PgRepositories(pg::Connection& db)
      : accounts(db),
        sign_ins(db),
        sessions(db),
        audit(db),
        groups(db),
        templates(db),
        pages(db),
        profiles(db),
        campaigns(db),
        send_queue(db),
        events(db),
        results(db),
        webhooks(db),
        training(db),
        portal(db),
        training_mail(db),
        send_rates(db),
        throttles(db),
        notices(db, pending),
        installation(db),
        reports(db),
        reporters(db),
        mailboxes(db),
        report_mail(db),
        phish_scale(db),
        library(db),
        training_imports(db),
        ports{accounts,    sign_ins,     sessions,        audit,         groups,     templates,
              pages,       profiles,     campaigns,       send_queue,    events,     results,
              webhooks,    training,     portal,          training_mail, send_rates, throttles,
              notices,     installation, reports,         reporters,     mailboxes,  report_mail,
              phish_scale, library,      training_imports} {}

  pg::PgAccounts accounts;
  pg::PgSignIns sign_ins;
  pg::PgSessions sessions;
  pg::PgAudit audit;
  pg::PgGroups groups;
  pg::PgTemplates templates;
  pg::PgLandingPages pages;
  pg::PgSendingProfiles profiles;
  pg::PgCampaigns campaigns;
  pg::PgSendQueue send_queue;
  pg::PgEvents events;
  pg::PgResults results;
  pg::PgWebhooks webhooks;
  pg::PgTraining training;
  pg::PgPortal portal;
  pg::PgTrainingMailQueue training_mail;
  pg::PgSendRates send_rates;
  pg::PgThrottles throttles;
  PendingNotices pending;
  pg::PgNotices notices;
  pg::PgInstallation installation;
  pg::PgReports reports;
  pg::PgReporters reporters;
  pg::PgReportingMailboxes mailboxes;
  pg::PgReportMail report_mail;
  pg::PgPhishScale phish_scale;
  pg::PgLibrary library;
  pg::PgTrainingImports training_imports;
  Repositories ports;
};

constexpr const char* kBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED";

pg::PoolOptions read_only(pg::PoolOptions options) {
  options.access = pg::Access::kReadOnly;
  return options;
}

void roll_back(pg::Connection& db) {
  try {
    db.exec("ROLLBACK");
  } catch (const pg::Failure&) {
    // The connection broke: the server dropped the transaction with it, and
    // the pool closes a connection that is not idle.
  }
}

class PostgresStore final : public Store {
 public:
  PostgresStore(const std::string& url, pg::PoolOptions options)
      : url_(url), pool_(url, options), readers_(url, read_only(options)) {}

  // Hears the other nodes' change notices from now on.
  void start_listening() { listener_ = std::make_unique<pg::ChangeListener>(url_, generations_); }

  Result<void> check_reachable() {
    auto conn = PD_TRY(pool_.checkout());
    return {};
  }

  Result<void> write(const Work& work) override { return run(work, kBeginWrite); }
  Result<void> read(const Work& work) override;
  const ChangeGenerations& generations() const override { return generations_; }

  Result<int> migrate() override {
    auto conn = PD_TRY(pool_.checkout());
    try {
      return pg::apply_migrations(*conn);
    } catch (const pg::Failure& failure) {
      auto error = pg::to_error(failure);
      error.message = "migration failed: " + error.message;
      return std::unexpected(std::move(error));
    }
  }

 private:
  // A connection with its transaction begun. An idle pooled connection may
  // have broken since its last use (the server restarted): then once more
  // on a fresh one.
  Result<pg::PooledConnection> begin(const char* statement) {
    for (int attempt = 0;; ++attempt) {
      auto conn = PD_TRY(pool_.checkout());
      try {
        conn->exec(statement);
        return conn;
      } catch (const pg::Failure& failure) {
        if (attempt > 0 || conn->healthy()) return std::unexpected(pg::to_error(failure));
      }
    }
  }

  Result<void> run(const Work& work, const char* statement) {
    auto conn = PD_TRY(begin(statement));
    PgRepositories repos(*conn);
    try {
      auto result = work(repos.ports);
      if (!result) {
        roll_back(*conn);
        return result;
      }
      conn->exec("COMMIT");
      repos.pending.publish(generations_);
      return {};
    } catch (const pg::Failure& failure) {
      roll_back(*conn);
      return std::unexpected(pg::to_error(failure));
    } catch (const std::exception& e) {
      roll_back(*conn);
      return fail(ErrorCode::kInternal, std::string("database: ") + e.what());
    }
  }

  std::string url_;
  pg::Pool pool_;     // writes: each in a transaction
  pg::Pool readers_;  // reads: read-only sessions, each statement on its own
  ChangeGenerations generations_;
  std::unique_ptr<pg::ChangeListener> listener_;  // after generations_, which it bumps
};

// Reads need no transaction: at READ COMMITTED each statement sees its own
// snapshot inside one too, so BEGIN and COMMIT would only add two round
// trips to every tracking look-up. The session refuses writes. A pooled
// connection the server dropped while idle fails on the first statement: the
// read runs once more on a fresh one, having observed nothing.
Result<void> PostgresStore::read(const Work& work) {
  for (int attempt = 0;; ++attempt) {
    auto conn = PD_TRY(readers_.checkout());
    const auto sent_before = conn->statements_sent();
    PgRepositories repos(*conn);
    try {
      return work(repos.ports);
    } catch (const pg::Failure& failure) {
      const bool first_statement = conn->statements_sent() == sent_before + 1;
      if (attempt > 0 || conn->healthy() || !first_statement) {
        return std::unexpected(pg::to_error(failure));
      }
    } catch (const std::exception& e) {
      return fail(ErrorCode::kInternal, std::string("database: ") + e.what());
    }
  }
}

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, const SecretKey& key,
                                                   pg::PoolOptions options) {
  // No port this adapter implements seals anything yet: relay passwords (the
  // templates port, not implemented here) are the adapter's last sealing.
  static_cast<void>(key);
  auto store = std::make_unique<PostgresStore>(url, options);
  PD_TRY(store->check_reachable());
  store->start_listening();
  return store;
}

}  // namespace phishdrill
