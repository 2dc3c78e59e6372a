// The store tests' common fixture: two workspaces ("Acme" and "Globex") in a
// fresh migrated store, and builders for users, targets and SMTP profiles.
// StoreTest runs the conformance suite on every backend (TEST_P);
// SqliteStoreTest is for what only the SQLite adapter promises (TEST_F).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "store/store.h"
#include "support/store_fixture.h"

namespace phishdrill::testing_support {

inline Webhook sample_webhook(const std::string& url) {
  Webhook w;
  w.name = "SIEM";
  w.url = url;
  w.events = {"clicked"};
  w.created_at = w.updated_at = 1000;
  return w;
}

template <typename Base>
class StoreTestT : public Base {
 protected:
  void SetUp() override {
    Base::SetUp();
    if (this->HasFatalFailure() || this->IsSkipped()) return;
    // Every migration runs on a new database (one per schema version; the
    // count grows as migrations are appended).
    ASSERT_GE(this->migrations_applied_, 1);
    ws_ = make_workspace("Acme");
    other_ws_ = make_workspace("Globex");
  }

  std::int64_t make_workspace(const std::string& name) {
    std::int64_t id = 0;
    this->write([&](Repositories& repos) { id = repos.accounts.create_workspace(name, 1000).id; });
    return id;
  }

  User make_user(std::int64_t ws, const std::string& email, Role role = Role::kAdmin) {
    User user;
    user.workspace_id = ws;
    user.email = email;
    user.name = "Name of " + email;
    user.role = role;
    user.created_at = 1000;
    User created;
    this->write([&](Repositories& repos) {
      auto result = repos.accounts.create_user(user, "$argon2id$fake");
      ASSERT_TRUE(result.has_value()) << result.error().message;
      created = *result;
    });
    return created;
  }

  static TargetFields target(const std::string& email, const std::string& first = "F") {
    TargetFields t;
    t.email = email;
    t.first_name = first;
    t.last_name = "L";
    return t;
  }

  // The store neither reads nor sets the password: it keeps what the service
  // sealed (see the profile tests).
  static SendingProfile smtp_profile(const std::string& name) {
    SendingProfile p;
    p.name = name;
    p.kind = TransportKind::kSmtp;
    p.host = "smtp.example.com";
    p.port = 587;
    p.tls = TlsMode::kStartTls;
    p.username = "mailer";
    p.from = "IT <it@example.com>";
    p.headers = {{"X-Mailer", "Phishdrill"}};
    p.rate_per_minute = 30;
    p.created_at = 1000;
    p.updated_at = 1000;
    return p;
  }

  std::int64_t ws_ = 0;
  std::int64_t other_ws_ = 0;
};

using StoreTest = StoreTestT<StoreConformance>;
using SqliteStoreTest = StoreTestT<StoreFixture>;

}  // namespace phishdrill::testing_support
