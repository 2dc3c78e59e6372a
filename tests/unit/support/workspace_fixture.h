// WorkspaceFixture: a StoreFixture with two workspaces, "Acme" (ws_, where
// the tests act) and "Globex" (other_ws_, whose ids must behave as unknown),
// the service::Caller of an Acme user with a given role, and the actions of
// Acme's audit log. Fixtures derive from it and call its SetUp() first.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "service/caller.h"
#include "support/store_fixture.h"

namespace phishdrill::testing_support {

class WorkspaceFixture : public StoreFixture {
 protected:
  static constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC

  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", kNow).id;
      other_ws_ = repos.accounts.create_workspace("Globex", kNow).id;
    });
  }

  service::Caller caller(Role role = Role::kOperator, std::int64_t workspace_id = 0) const {
    service::Caller who;
    who.workspace_id = workspace_id == 0 ? ws_ : workspace_id;
    who.user_id = 7;
    who.role = role;
    who.actor = {"user", 7, "ops@acme.example"};
    who.ip = "192.0.2.10";
    return who;
  }

  // Oldest first.
  std::vector<AuditEntry> audit_log(std::int64_t workspace_id = 0) {
    std::vector<AuditEntry> entries;
    read([&](Repositories& repos) {
      entries = repos.audit.list(workspace_id == 0 ? ws_ : workspace_id, PageRequest{0, 500}).items;
    });
    return {entries.rbegin(), entries.rend()};
  }

  std::vector<std::string> audit_actions(std::int64_t workspace_id = 0) {
    std::vector<std::string> actions;
    for (const auto& entry : audit_log(workspace_id)) actions.push_back(entry.action);
    return actions;
  }

  std::int64_t ws_ = 0;
  std::int64_t other_ws_ = 0;
};

}  // namespace phishdrill::testing_support
