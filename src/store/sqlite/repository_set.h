// RepositorySet: one SQLite connection and the repository adapters bound to
// it, handed to a transaction as its Repositories. The SqliteStore keeps one
// for writes and a few for reads. Not thread-safe: its owner lends it to one
// transaction at a time.
#pragma once

#include <string>

#include "core/secret_key.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/repositories.h"
#include "store/store.h"

namespace phishdrill::sqlite {

class RepositorySet {
 public:
  // `key` only seals webhook URLs an old version stored in clear (migrate).
  RepositorySet(const std::string& path, ConnectionRole role, const SecretKey& key);
  RepositorySet(const RepositorySet&) = delete;
  RepositorySet& operator=(const RepositorySet&) = delete;

  Connection& db() { return db_; }
  Repositories& repositories() { return repositories_; }
  // What the current transaction announced (published after its commit).
  PendingNotices& notices() { return notices_; }
  // Seals webhook URLs stored in clear; returns how many (writer only).
  int seal_plain_webhook_urls() { return webhooks_.seal_plain_urls(); }

 private:
  SecretKey key_;
  Connection db_;
  SqliteAccounts accounts_;
  SqliteSignIns sign_ins_;
  SqliteSessions sessions_;
  SqliteAudit audit_;
  SqliteGroups groups_;
  SqliteTemplates templates_;
  SqliteLandingPages pages_;
  SqliteSendingProfiles profiles_;
  SqliteCampaigns campaigns_;
  SqliteSendQueue send_queue_;
  SqliteEvents events_;
  SqliteResults results_;
  SqliteWebhooks webhooks_;
  SqliteTraining training_;
  SqlitePortal portal_;
  SqliteTrainingMailQueue training_mail_;
  SqliteSendRates send_rates_;
  SqliteThrottles throttles_;
  PendingNotices notices_;
  SqliteInstallation installation_;
  SqliteReports reports_;
  SqliteReporters reporters_;
  SqliteReportingMailboxes mailboxes_;
  SqliteReportMail report_mail_;
  SqlitePhishScale phish_scale_;
  SqliteLibrary library_;
  SqliteTrainingImports training_imports_;
  Repositories repositories_;
};

}  // namespace phishdrill::sqlite
