// Test data for store tests: an active campaign written the way launch writes
// it (a variant snapshot of the template, one recipient per target with rid
// "rid-<campaign>-<index>"), and an event on one recipient.
// Call inside a write transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace phishdrill::testing_support {

struct TestAudience {
  std::int64_t workspace_id = 0;
  std::int64_t group_id = 0;
  std::vector<std::int64_t> target_ids;
  std::vector<TargetFields> people;  // same order as target_ids
};

// A workspace "Acme" with one target per email, all in the group "Everyone";
// fails the test when the store refuses any of it.
inline TestAudience make_test_audience(Repositories& repos, const std::vector<std::string>& emails,
                                       std::int64_t now) {
  TestAudience audience;
  audience.workspace_id = repos.accounts.create_workspace("Acme", now).id;
  for (const auto& email : emails) {
    TargetFields t;
    t.email = email;
    audience.people.push_back(t);
  }
  audience.target_ids =
      repos.groups.upsert_targets(audience.workspace_id, audience.people, now).target_ids;
  auto group = repos.groups.create_group(audience.workspace_id, "Everyone", now);
  EXPECT_TRUE(group.has_value());
  if (!group) return audience;
  audience.group_id = group->id;
  repos.groups.add_members(group->id, audience.target_ids);
  return audience;
}

// The content of the template "Payroll", as a campaign variant snapshots it.
inline EmailTemplate test_template_content() {
  EmailTemplate t;
  t.name = "Payroll";
  t.subject = "Hi";
  t.text = "Review {{.URL}}";
  return t;
}

// make_test_audience, and the template "Payroll" stored in the workspace.
struct TestWorkspace {
  TestAudience audience;
  EmailTemplate tmpl;
};

inline TestWorkspace make_test_workspace(Repositories& repos,
                                         const std::vector<std::string>& emails, std::int64_t now) {
  TestWorkspace made;
  made.audience = make_test_audience(repos, emails, now);
  auto created =
      repos.templates.create_template(made.audience.workspace_id, test_template_content());
  EXPECT_TRUE(created.has_value());
  if (created) made.tmpl = *created;
  return made;
}

inline std::string test_rid(std::int64_t campaign_id, std::size_t index) {
  return "rid-" + std::to_string(campaign_id) + "-" + std::to_string(index);
}

// Returns the new campaign's id; fails the test (and returns 0) when the store refuses it.
inline std::int64_t launch_test_campaign(Repositories& repos, const TestAudience& audience,
                                         const EmailTemplate& tmpl, const std::string& name,
                                         const std::optional<FollowUp>& follow_up,
                                         std::int64_t now) {
  Campaign c;
  c.name = name;
  c.templates = {{tmpl.id, 1}};
  c.group_ids = {audience.group_id};
  c.profile_id = 33;
  c.base_url = "https://phish.example.com";
  c.follow_up = follow_up;
  c.seed = 1;
  c.created_at = c.updated_at = now;
  auto created = repos.campaigns.create_campaign(audience.workspace_id, c);
  EXPECT_TRUE(created.has_value()) << created.error().message;
  if (!created) return 0;
  const auto id = created->id;
  const auto variant = repos.campaigns.insert_variant(id, CampaignVariant{0, tmpl.id, 1, tmpl});
  std::vector<Recipient> recipients;
  for (std::size_t i = 0; i < audience.target_ids.size(); ++i) {
    Recipient r;
    r.target_id = audience.target_ids[i];
    r.rid = test_rid(id, i);
    r.fields = audience.people[i];
    r.variant_id = variant;
    r.send_at = now;
    r.message_id = r.rid + "@mail.example";
    recipients.push_back(r);
  }
  repos.campaigns.insert_recipients(audience.workspace_id, id, recipients);
  created->status = CampaignStatus::kActive;
  created->launched_at = now;
  EXPECT_TRUE(repos.campaigns.set_campaign_state(*created, CampaignStatus::kDraft));
  return id;
}

// An event of `kind` on the recipient with `rid`, from `ip`, appended to the
// log (the store alone: no result or counter moves); returns its id (0 when
// the rid is unknown).
inline std::int64_t append_test_event(Repositories& repos, const std::string& rid,
                                      const std::string& kind, std::int64_t at,
                                      bool automated = false,
                                      const std::string& ip = "203.0.113.7") {
  const auto info = repos.events.find_rid(rid);
  EXPECT_TRUE(info.has_value()) << rid;
  if (!info) return 0;
  EventRecord e;
  e.workspace_id = info->workspace_id;
  e.campaign_id = info->campaign_id;
  e.recipient_id = info->recipient_id;
  e.kind = kind;
  e.at = at;
  e.ip = ip;
  e.user_agent = "Mozilla/5.0";
  e.automated = automated;
  if (automated) e.reason = "scanner";
  return repos.events.append_event(e);
}

}  // namespace phishdrill::testing_support
