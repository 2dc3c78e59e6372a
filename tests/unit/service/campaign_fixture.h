// CampaignServiceFixture: a migrated store (StoreFixture) holding two
// workspaces — "Acme" with a template, a sending profile and whatever groups
// a test makes, and "Other" with nothing — the one FakeClock and FakeTokens,
// an empty training catalogue, and an operator of Acme as the caller, for the
// campaign and template use-case tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "service/caller.h"
#include "support/fakes.h"
#include "support/store_fixture.h"
#include "training/catalogue.h"

namespace phishdrill::testing_support {

constexpr std::int64_t kStart = 1704099600;  // Monday 2024-01-01 09:00 UTC

class CampaignServiceFixture : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", kStart).id;
      other_ws_ = repos.accounts.create_workspace("Other", kStart).id;
      EmailTemplate t;
      t.name = "Payroll";
      t.subject = "Hi {{.FirstName}}";
      t.html = "<p>Dear {{.FirstName}}, <a href=\"{{.URL}}\">review</a></p>";
      t.from = "Payroll <payroll@corp.example>";
      t.created_at = t.updated_at = kStart;
      auto created = repos.templates.create_template(ws_, t);
      ASSERT_TRUE(created.has_value()) << created.error().message;
      template_id_ = created->id;
      SendingProfile p;
      p.name = "Relay";
      p.kind = TransportKind::kSmtp;
      p.host = "relay.example.com";
      p.port = 25;
      p.from = "Fallback <fallback@fallback.example>";
      p.created_at = p.updated_at = kStart;
      auto profile = repos.profiles.create_profile(ws_, p, "");
      ASSERT_TRUE(profile.has_value()) << profile.error().message;
      profile_id_ = profile->id;
    });
    caller_ =
        service::Caller{ws_, 7, Role::kOperator, Actor{"user", 7, "op@corp.example"}, "192.0.2.1"};
  }

  // A group of `emails` in Acme.
  std::int64_t make_group(const std::string& name, const std::vector<std::string>& emails) {
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      auto group = repos.groups.create_group(ws_, name, clock_.now());
      ASSERT_TRUE(group.has_value()) << group.error().message;
      std::vector<TargetFields> fields;
      for (const auto& email : emails) {
        TargetFields f;
        f.email = email;
        f.first_name = "Name-" + email.substr(0, email.find('@'));
        fields.push_back(f);
      }
      const auto stats = repos.groups.upsert_targets(ws_, fields, clock_.now());
      repos.groups.add_members(group->id, stats.target_ids);
      id = group->id;
    });
    return id;
  }

  // A valid draft (not saved) sending to `groups`.
  Campaign draft(const std::string& name, std::vector<std::int64_t> groups) const {
    Campaign c;
    c.name = name;
    c.templates = {{template_id_, 1}};
    c.group_ids = std::move(groups);
    c.profile_id = profile_id_;
    return c;
  }

  // Acme's audit log, newest first.
  std::vector<AuditEntry> audit_log() {
    std::vector<AuditEntry> out;
    read([&](Repositories& repos) { out = repos.audit.list(ws_, PageRequest{0, 100}).items; });
    return out;
  }

  FakeClock clock_{kStart};
  FakeTokens tokens_;
  TrainingCatalogue training_{"", ""};
  std::int64_t ws_ = 0;
  std::int64_t other_ws_ = 0;
  std::int64_t template_id_ = 0;
  std::int64_t profile_id_ = 0;
  service::Caller caller_;
};

}  // namespace phishdrill::testing_support
