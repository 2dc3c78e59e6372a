// Training through the services and the SQLite store: assignments and their
// email queue (service/assign_training.h), the portal's links and quiz
// nonces, the report, and the campaign follow-up that assigns training when a
// human clicks or submits (service/record_hits.h, service/follow_up.h) and
// withdraws it when the click was a scanner's (service/reclassify_event.h).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "service/assign_training.h"
#include "service/recipient_results.h"
#include "service/reclassify_event.h"
#include "service/record_hits.h"
#include "store/store.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kNow = 1796083200;  // Tuesday 2026-12-01 00:00 UTC
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kForever = kNow + 10000 * kDay;  // a lease that never runs out here

class TrainingStoreTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", kNow).id;
      other_ws_ = repos.accounts.create_workspace("Globex", kNow).id;
    });
  }

  static TargetFields person(const std::string& email, const std::string& first = "F") {
    TargetFields t;
    t.email = email;
    t.first_name = first;
    t.last_name = "Last-" + first;
    t.department = "Dept-" + first;
    t.manager_email = "boss-of-" + email;
    return t;
  }

  std::vector<std::int64_t> make_targets(std::int64_t ws, const std::vector<TargetFields>& people) {
    std::vector<std::int64_t> ids;
    write([&](Repositories& repos) {
      ids = repos.groups.upsert_targets(ws, people, kNow).target_ids;
    });
    return ids;
  }

  std::int64_t make_group(const std::string& name, const std::vector<std::int64_t>& members) {
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      auto group = repos.groups.create_group(ws_, name, kNow);
      ASSERT_TRUE(group.has_value()) << group.error().message;
      id = group->id;
      repos.groups.add_members(id, members);
    });
    return id;
  }

  std::int64_t make_profile(std::int64_t ws, const std::string& name) {
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      SendingProfile p;
      p.name = name;
      p.kind = TransportKind::kOutbox;
      p.from = "Security <security@corp.example>";
      p.created_at = p.updated_at = kNow;
      auto created = repos.profiles.create_profile(ws, p, "");
      ASSERT_TRUE(created.has_value()) << created.error().message;
      id = created->id;
    });
    return id;
  }

  std::vector<TrainingMailRecord> mails(std::int64_t assignment_id) {
    std::vector<TrainingMailRecord> out;
    read([&](Repositories& repos) { out = repos.training.mails_of(assignment_id); });
    return out;
  }

  NewAssignments request(const std::vector<std::int64_t>& target_ids,
                         const std::string& module = "m1", std::int64_t profile_id = 5) {
    NewAssignments r;
    r.target_ids = target_ids;
    r.module_slug = module;
    r.profile_id = profile_id;
    r.portal_base_url = "https://learn.example.com";
    r.due_at = kNow + 7 * kDay;
    r.now = kNow;
    return r;
  }

  AssignOutcome assign(const NewAssignments& r, const TrainingSettings& mail = {},
                       std::int64_t ws = 0) {
    AssignOutcome out;
    write([&](Repositories& repos) {
      out = service::assign_training(repos, ws ? ws : ws_, r, mail);
    });
    return out;
  }

  std::vector<Assignment> list(const AssignmentFilter& filter = {}, PageRequest page = {0, 1000},
                               std::int64_t ws = 0) {
    std::vector<Assignment> out;
    read([&](Repositories& repos) {
      out = repos.training.list_assignments(ws ? ws : ws_, filter, page).items;
    });
    return out;
  }

  Assignment only_assignment_of(std::int64_t target_id, const std::string& module = "m1") {
    AssignmentFilter f;
    f.target_id = target_id;
    f.module_slug = module;
    const auto items = list(f);
    EXPECT_EQ(items.size(), 1u) << "target " << target_id << " module " << module;
    return items.empty() ? Assignment{} : items.back();
  }

  std::optional<Assignment> find(std::int64_t id) {
    std::optional<Assignment> out;
    read([&](Repositories& repos) { out = repos.training.find_assignment(ws_, id); });
    return out;
  }

  std::vector<TrainingMailJob> claim(std::int64_t now, std::int64_t lease_until = kForever,
                                     int limit = 100) {
    std::vector<TrainingMailJob> out;
    write([&](Repositories& repos) {
      out = repos.training_mail.claim_training_mail(now, lease_until, limit);
    });
    return out;
  }

  static std::vector<std::string> kinds(const std::vector<TrainingMailJob>& jobs) {
    std::vector<std::string> out;
    for (const auto& j : jobs) out.push_back(j.kind);
    return out;
  }

  void record(std::int64_t assignment_id, int score, bool passed, std::int64_t at,
              int version = 4) {
    write([&](Repositories& repos) {
      QuizAttempt attempt;
      attempt.assignment_id = assignment_id;
      attempt.submitted_at = at;
      attempt.score = score;
      attempt.passed = passed;
      attempt.module_version = version;
      repos.portal.record_attempt(attempt);
    });
  }

  std::int64_t ws_ = 0;
  std::int64_t other_ws_ = 0;
};

using Kinds = std::vector<std::string>;

// ---------------------------------------------------------------- settings

TEST_F(TrainingStoreTest, SettingsDefaultWhenNeverSaved) {
  read([&](Repositories& repos) {
    const auto s = repos.training.settings(ws_);
    const TrainingSettings d;
    EXPECT_EQ(s.profile_id, d.profile_id);
    EXPECT_EQ(s.portal_base_url, d.portal_base_url);
    EXPECT_EQ(s.remind_days_before, d.remind_days_before);
    EXPECT_EQ(s.overdue_every_days, d.overdue_every_days);
    EXPECT_EQ(s.max_overdue_reminders, d.max_overdue_reminders);
    EXPECT_EQ(s.cc_manager_when_overdue, d.cc_manager_when_overdue);
    EXPECT_EQ(s.link_valid_days, d.link_valid_days);
    EXPECT_EQ(s.follow_up_delay_seconds, d.follow_up_delay_seconds);
  });
}

TEST_F(TrainingStoreTest, SettingsRoundTripPerWorkspace) {
  const auto relay = make_profile(ws_, "Relay");
  const auto other_relay = make_profile(ws_, "Other relay");
  TrainingSettings s;
  s.profile_id = relay;
  s.portal_base_url = "https://learn.example.com";
  s.remind_days_before = 0;
  s.overdue_every_days = 60;
  s.max_overdue_reminders = 20;
  s.cc_manager_when_overdue = true;
  s.link_valid_days = 365;
  s.follow_up_delay_seconds = 0;
  write([&](Repositories& repos) { repos.training.save_settings(ws_, s); });
  read([&](Repositories& repos) {
    const auto got = repos.training.settings(ws_);
    EXPECT_EQ(got.profile_id, relay);
    EXPECT_EQ(got.portal_base_url, "https://learn.example.com");
    EXPECT_EQ(got.remind_days_before, 0);
    EXPECT_EQ(got.overdue_every_days, 60);
    EXPECT_EQ(got.max_overdue_reminders, 20);
    EXPECT_TRUE(got.cc_manager_when_overdue);
    EXPECT_EQ(got.link_valid_days, 365);
    EXPECT_EQ(got.follow_up_delay_seconds, 0);
    // The other workspace still has the defaults.
    EXPECT_EQ(repos.training.settings(other_ws_).profile_id, 0);
    EXPECT_FALSE(repos.training.settings(other_ws_).cc_manager_when_overdue);
  });
  // Saving again replaces.
  s.profile_id = other_relay;
  s.cc_manager_when_overdue = false;
  write([&](Repositories& repos) { repos.training.save_settings(ws_, s); });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.training.settings(ws_).profile_id, other_relay);
    EXPECT_FALSE(repos.training.settings(ws_).cc_manager_when_overdue);
  });
}

TEST_F(TrainingStoreTest, SettingsProfileMustBeAProfileOfTheWorkspace) {
  const auto mine = make_profile(ws_, "Relay");
  const auto theirs = make_profile(other_ws_, "Their relay");
  TrainingSettings s;
  s.profile_id = theirs;
  s.remind_days_before = 5;
  write([&](Repositories& repos) { repos.training.save_settings(ws_, s); });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.training.settings(ws_).profile_id, 0);
    EXPECT_EQ(repos.training.settings(ws_).remind_days_before, 5);  // the rest is kept
  });
  s.profile_id = mine;
  write([&](Repositories& repos) { repos.training.save_settings(ws_, s); });
  read([&](Repositories& repos) { EXPECT_EQ(repos.training.settings(ws_).profile_id, mine); });
  // A deleted profile no longer sends training mail.
  write([&](Repositories& repos) { EXPECT_TRUE(repos.profiles.delete_profile(ws_, mine)); });
  read([&](Repositories& repos) { EXPECT_EQ(repos.training.settings(ws_).profile_id, 0); });
}

// ---------------------------------------------------------------- assign

TEST_F(TrainingStoreTest, UnknownTargets) {
  const auto mine = make_targets(ws_, {person("a@x.example"), person("b@x.example")});
  const auto theirs = make_targets(other_ws_, {person("c@x.example")});
  read([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.unknown_targets(ws_, mine).empty());
    EXPECT_EQ(repos.training.unknown_targets(ws_, {mine[0], theirs[0], 999999, mine[1]}),
              (std::vector<std::int64_t>{theirs[0], 999999}));
    EXPECT_TRUE(repos.training.unknown_targets(ws_, {}).empty());
  });
}

TEST_F(TrainingStoreTest, AssignSnapshotsTheTarget) {
  const auto ids = make_targets(ws_, {person("alice@x.example", "Alice")});
  auto r = request(ids);
  r.reason = "manual";
  const auto out = assign(r);
  EXPECT_EQ(out.created, 1);
  EXPECT_EQ(out.already_assigned, 0);
  const auto a = only_assignment_of(ids[0]);
  EXPECT_GT(a.id, 0);
  EXPECT_EQ(a.target.id, ids[0]);
  EXPECT_EQ(a.target.email, "alice@x.example");
  EXPECT_EQ(a.target.first_name, "Alice");
  EXPECT_EQ(a.target.last_name, "Last-Alice");
  EXPECT_EQ(a.target.department, "Dept-Alice");
  EXPECT_EQ(a.target.manager_email, "boss-of-alice@x.example");
  EXPECT_EQ(a.module_slug, "m1");
  EXPECT_EQ(a.reason, "manual");
  EXPECT_EQ(a.campaign_id, 0);
  EXPECT_EQ(a.profile_id, 5);
  EXPECT_EQ(a.portal_base_url, "https://learn.example.com");
  EXPECT_EQ(a.assigned_at, kNow);
  EXPECT_EQ(a.due_at, kNow + 7 * kDay);
  EXPECT_EQ(a.status, AssignmentStatus::kAssigned);
  EXPECT_EQ(a.started_at, 0);
  EXPECT_EQ(a.completed_at, 0);
  EXPECT_FALSE(a.score.has_value());
  EXPECT_FALSE(a.passed.has_value());
  EXPECT_EQ(a.module_version, 0);
  EXPECT_EQ(a.attempts, 0);
  EXPECT_EQ(a.reminders_sent, 0);
  EXPECT_EQ(a.cancel_reason, "");

  // A later change to the directory does not rewrite the record.
  make_targets(ws_, {person("alice@x.example", "Alicia")});
  const auto again = find(a.id);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->target.first_name, "Alice");
}

TEST_F(TrainingStoreTest, AssignSkipsPeopleWithTheModuleOpen) {
  const auto ids =
      make_targets(ws_, {person("a@x.example"), person("b@x.example"), person("c@x.example")});
  auto first = assign(request({ids[0], ids[1]}));
  EXPECT_EQ(first.created, 2);
  EXPECT_EQ(first.already_assigned, 0);

  auto second = assign(request({ids[0], ids[1], ids[2]}));
  EXPECT_EQ(second.created, 1);
  EXPECT_EQ(second.already_assigned, 2);

  // Another module is another assignment.
  auto other = assign(request({ids[0]}, "m2"));
  EXPECT_EQ(other.created, 1);

  // Still open when started.
  const auto a = only_assignment_of(ids[0]);
  write([&](Repositories& repos) { repos.portal.mark_started(a.id, kNow + 10); });
  EXPECT_EQ(assign(request({ids[0]})).already_assigned, 1);

  // Once completed or cancelled, the module can be assigned again.
  record(a.id, 100, true, kNow + 20);
  const auto b = only_assignment_of(ids[1]);
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, b.id, "left", kNow + 30));
  });
  auto third = assign(request({ids[0], ids[1]}));
  EXPECT_EQ(third.created, 2);
  EXPECT_EQ(third.already_assigned, 0);
  AssignmentFilter f;
  f.module_slug = "m1";
  EXPECT_EQ(list(f).size(), 5u);
}

TEST_F(TrainingStoreTest, AssignIgnoresTargetsOfAnotherWorkspace) {
  const auto theirs = make_targets(other_ws_, {person("c@x.example")});
  const auto out = assign(request(theirs));
  EXPECT_EQ(out.created, 0);
  EXPECT_TRUE(list().empty());
  EXPECT_TRUE(list({}, {0, 1000}, other_ws_).empty());
}

TEST_F(TrainingStoreTest, AssignQueuesMailPerPlan) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  TrainingSettings mail;  // reminder 2 days before; 3 overdue reminders every 3 days
  assign(request(ids), mail);
  const std::int64_t due = kNow + 7 * kDay;
  EXPECT_TRUE(claim(kNow - 1).empty());
  const auto notice = claim(kNow);
  ASSERT_EQ(kinds(notice), (Kinds{"assigned"}));
  EXPECT_EQ(notice[0].workspace_id, ws_);
  EXPECT_EQ(notice[0].attempts, 1);
  EXPECT_EQ(notice[0].assignment.target.email, "a@x.example");
  EXPECT_EQ(notice[0].assignment.module_slug, "m1");
  EXPECT_EQ(notice[0].assignment.profile_id, 5);
  EXPECT_TRUE(claim(due - 2 * kDay - 1).empty());
  EXPECT_EQ(kinds(claim(due - 2 * kDay)), (Kinds{"reminder"}));
  EXPECT_TRUE(claim(due + kHour - 1).empty());
  EXPECT_EQ(kinds(claim(due + kHour)), (Kinds{"overdue"}));
  EXPECT_EQ(kinds(claim(due + kHour + 3 * kDay)), (Kinds{"overdue"}));
  EXPECT_EQ(kinds(claim(due + kHour + 6 * kDay)), (Kinds{"overdue"}));
  EXPECT_TRUE(claim(kForever - 1).empty());
}

TEST_F(TrainingStoreTest, MailsOfShowsThePlanAndItsStates) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  TrainingSettings mail;
  assign(request(ids), mail);
  const auto a = only_assignment_of(ids[0]);
  const std::int64_t due = kNow + 7 * kDay;
  auto planned = mails(a.id);
  ASSERT_EQ(planned.size(), 5u);
  const auto expected = plan_training_mail(mail, kNow, due);
  ASSERT_EQ(expected.size(), 5u);
  for (std::size_t i = 0; i < planned.size(); ++i) {
    EXPECT_EQ(planned[i].kind, expected[i].kind) << i;
    EXPECT_EQ(planned[i].send_at, expected[i].send_at) << i;
    EXPECT_EQ(planned[i].state, "queued") << i;
    EXPECT_EQ(planned[i].attempts, 0) << i;
  }
  const auto notice = claim(kNow);
  ASSERT_EQ(notice.size(), 1u);
  EXPECT_EQ(mails(a.id)[0].state, "sending");
  EXPECT_EQ(mails(a.id)[0].attempts, 1);
  write([&](Repositories& repos) {
    repos.training_mail.mark_training_mail_retry(notice[0].id, kNow + 300, "451 busy");
  });
  EXPECT_EQ(mails(a.id)[0].state, "queued");
  EXPECT_EQ(mails(a.id)[0].send_at, kNow + 300);
  EXPECT_EQ(mails(a.id)[0].last_error, "451 busy");
  ASSERT_EQ(claim(kNow + 300).size(), 1u);
  write([&](Repositories& repos) {
    repos.training_mail.mark_training_mail_sent(notice[0].id, "m1@x", kNow + 301);
  });
  planned = mails(a.id);
  EXPECT_EQ(planned[0].state, "sent");
  EXPECT_EQ(planned[0].sent_at, kNow + 301);
  EXPECT_EQ(planned[0].attempts, 2);
  EXPECT_EQ(planned[0].last_error, "");
  // Cancelling the assignment cancels what is still queued, and keeps what was sent.
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, a.id, "x", kNow + 400));
  });
  planned = mails(a.id);
  ASSERT_EQ(planned.size(), 5u);
  EXPECT_EQ(planned[0].state, "sent");
  for (std::size_t i = 1; i < planned.size(); ++i) EXPECT_EQ(planned[i].state, "cancelled") << i;
}

TEST_F(TrainingStoreTest, AssignSendsTheNoticeAtNoticeAt) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  TrainingSettings mail;
  mail.remind_days_before = 0;
  mail.max_overdue_reminders = 0;
  auto r = request(ids);
  r.notice_at = kNow + 120;
  assign(r, mail);
  EXPECT_TRUE(claim(kNow + 119).empty());
  EXPECT_EQ(kinds(claim(kNow + 120)), (Kinds{"assigned"}));
  EXPECT_TRUE(claim(kForever - 1).empty());
}

TEST_F(TrainingStoreTest, NoMailWithoutProfile) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  EXPECT_EQ(assign(request(ids, "m1", /*profile_id=*/0)).created, 1);
  EXPECT_TRUE(claim(kForever - 1).empty());
}

TEST_F(TrainingStoreTest, ClaimRespectsTheLimitInSendOrder) {
  const auto ids =
      make_targets(ws_, {person("a@x.example"), person("b@x.example"), person("c@x.example")});
  TrainingSettings mail;
  mail.remind_days_before = 0;
  mail.max_overdue_reminders = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto r = request({ids[i]});
    r.notice_at = kNow + 100 - static_cast<std::int64_t>(i) * 10;  // c first, then b, then a
    assign(r, mail);
  }
  const auto first = claim(kNow + 100, kForever, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].assignment.target.email, "c@x.example");
  EXPECT_EQ(first[1].assignment.target.email, "b@x.example");
  const auto rest = claim(kNow + 100, kForever, 2);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].assignment.target.email, "a@x.example");
}

// ---------------------------------------------------------------- list

TEST_F(TrainingStoreTest, ListFilters) {
  const auto ids =
      make_targets(ws_, {person("a@x.example"), person("b@x.example"), person("c@x.example")});
  const auto group = make_group("Finance", {ids[0], ids[1]});
  assign(request(ids, "m1"));           // a, b, c
  auto late = request({ids[0]}, "m2");  // a: overdue
  late.due_at = kNow - kDay;
  assign(late);
  auto from_campaign = request({ids[2]}, "m3");  // c: from a campaign
  from_campaign.reason = "campaign";
  from_campaign.campaign_id = 77;
  assign(from_campaign);
  const auto b_m1 = only_assignment_of(ids[1], "m1");
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, b_m1.id, "left", kNow));
  });

  auto emails = [](const std::vector<Assignment>& items) {
    std::vector<std::string> out;
    for (const auto& a : items) out.push_back(a.target.email + "/" + a.module_slug);
    return out;
  };
  using Names = std::vector<std::string>;

  EXPECT_EQ(list().size(), 5u);
  AssignmentFilter f;
  f.module_slug = "m1";
  EXPECT_EQ(emails(list(f)), (Names{"a@x.example/m1", "b@x.example/m1", "c@x.example/m1"}));

  f = {};
  f.group_id = group;
  EXPECT_EQ(emails(list(f)), (Names{"a@x.example/m1", "b@x.example/m1", "a@x.example/m2"}));

  f = {};
  f.target_id = ids[2];
  EXPECT_EQ(emails(list(f)), (Names{"c@x.example/m1", "c@x.example/m3"}));

  f = {};
  f.campaign_id = 77;
  const auto campaign = list(f);
  EXPECT_EQ(emails(campaign), (Names{"c@x.example/m3"}));
  ASSERT_EQ(campaign.size(), 1u);
  EXPECT_EQ(campaign[0].reason, "campaign");

  f = {};
  f.status = AssignmentStatus::kCancelled;
  const auto cancelled = list(f);
  EXPECT_EQ(emails(cancelled), (Names{"b@x.example/m1"}));
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].cancel_reason, "left");

  f = {};
  f.status = AssignmentStatus::kAssigned;
  EXPECT_EQ(list(f).size(), 4u);

  f = {};
  f.overdue_only = true;
  f.now = kNow;
  EXPECT_EQ(emails(list(f)), (Names{"a@x.example/m2"}));
  f.now = kNow + 8 * kDay;  // everything open is past due by then
  EXPECT_EQ(emails(list(f)),
            (Names{"a@x.example/m1", "c@x.example/m1", "a@x.example/m2", "c@x.example/m3"}));

  // Filters combine.
  f = {};
  f.group_id = group;
  f.module_slug = "m1";
  f.status = AssignmentStatus::kAssigned;
  EXPECT_EQ(emails(list(f)), (Names{"a@x.example/m1"}));

  // Workspace-scoped.
  EXPECT_TRUE(list({}, {0, 1000}, other_ws_).empty());
}

TEST_F(TrainingStoreTest, ListPages) {
  std::vector<TargetFields> people;
  for (int i = 0; i < 5; ++i) people.push_back(person("p" + std::to_string(i) + "@x.example"));
  const auto ids = make_targets(ws_, people);
  assign(request(ids));
  Page<Assignment> page;
  std::vector<std::int64_t> seen;
  PageRequest req{0, 2};
  for (int round = 0; round < 10; ++round) {
    read([&](Repositories& repos) { page = repos.training.list_assignments(ws_, {}, req); });
    for (const auto& a : page.items) seen.push_back(a.id);
    if (round < 2) {
      ASSERT_EQ(page.items.size(), 2u);
      ASSERT_TRUE(page.next_after.has_value());
      EXPECT_EQ(*page.next_after, page.items.back().id);
    } else {
      ASSERT_EQ(page.items.size(), 1u);
      EXPECT_FALSE(page.next_after.has_value());
      break;
    }
    req.after_id = *page.next_after;
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

// ---------------------------------------------------------------- cancel

TEST_F(TrainingStoreTest, CancelOpenAssignmentOnceAndItsMail) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  assign(request(ids));
  const auto a = only_assignment_of(ids[0]);
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.training.cancel_assignment(other_ws_, a.id, "x", kNow));  // not theirs
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, a.id, "left the company", kNow));
    EXPECT_FALSE(repos.training.cancel_assignment(ws_, a.id, "again", kNow));
    EXPECT_FALSE(repos.training.cancel_assignment(ws_, 999999, "none", kNow));
  });
  const auto got = find(a.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, AssignmentStatus::kCancelled);
  EXPECT_EQ(got->cancel_reason, "left the company");
  EXPECT_TRUE(claim(kForever - 1).empty());
}

TEST_F(TrainingStoreTest, CompletedAssignmentCannotBeCancelled) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  assign(request(ids));
  const auto a = only_assignment_of(ids[0]);
  record(a.id, 100, true, kNow + 5);
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.training.cancel_assignment(ws_, a.id, "x", kNow + 10));
  });
  EXPECT_EQ(find(a.id)->status, AssignmentStatus::kCompleted);
}

TEST_F(TrainingStoreTest, FindIsWorkspaceScoped) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  assign(request(ids));
  const auto a = only_assignment_of(ids[0]);
  read([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.find_assignment(ws_, a.id).has_value());
    EXPECT_FALSE(repos.training.find_assignment(other_ws_, a.id).has_value());
    EXPECT_FALSE(repos.training.find_assignment(ws_, a.id + 1000).has_value());
  });
}

// ---------------------------------------------------------------- mail queue

TEST_F(TrainingStoreTest, ClaimLeasesUntilTheLeasePasses) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  TrainingSettings mail;
  mail.remind_days_before = 0;
  mail.max_overdue_reminders = 0;
  assign(request(ids), mail);
  const auto first = claim(kNow, kNow + 60);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_TRUE(claim(kNow + 30, kNow + 90).empty());   // leased
  EXPECT_TRUE(claim(kNow + 60, kNow + 120).empty());  // until the lease passes
  const auto again = claim(kNow + 61, kNow + 200);    // a crashed sender's claim comes back
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[0].attempts, 2);

  // A renewed lease holds it longer.
  write([&](Repositories& repos) {
    repos.training_mail.renew_training_mail_lease(again[0].id, kNow + 500);
  });
  EXPECT_TRUE(claim(kNow + 300).empty());
  EXPECT_EQ(claim(kNow + 501).size(), 1u);
}

TEST_F(TrainingStoreTest, ReleaseRequeuesWithoutCountingTheAttempt) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  TrainingSettings mail;
  mail.remind_days_before = 0;
  mail.max_overdue_reminders = 0;
  assign(request(ids), mail);
  const auto first = claim(kNow);
  ASSERT_EQ(first.size(), 1u);
  write([&](Repositories& repos) { repos.training_mail.release_training_mail(first[0].id); });
  const auto again = claim(kNow);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[0].attempts, 1);
}

TEST_F(TrainingStoreTest, SentMailIsDoneAndRemindersAreCounted) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  TrainingSettings mail;  // assigned, reminder, 3 overdue
  assign(request(ids), mail);
  const auto a = only_assignment_of(ids[0]);
  const std::int64_t due = kNow + 7 * kDay;

  auto send_all_due = [&](std::int64_t at) {
    const auto jobs = claim(at);
    write([&](Repositories& repos) {
      for (const auto& j : jobs) {
        repos.training_mail.mark_training_mail_sent(j.id, "mid-" + std::to_string(j.id) + "@x", at);
      }
    });
    return kinds(jobs);
  };
  EXPECT_EQ(send_all_due(kNow), (Kinds{"assigned"}));
  EXPECT_EQ(find(a.id)->reminders_sent, 0);  // the notice is not a reminder
  EXPECT_EQ(send_all_due(due - 2 * kDay), (Kinds{"reminder"}));
  EXPECT_EQ(find(a.id)->reminders_sent, 1);
  EXPECT_EQ(send_all_due(due + kHour), (Kinds{"overdue"}));
  EXPECT_EQ(find(a.id)->reminders_sent, 2);
  // Sent mail is never claimed again, even after any lease would have passed.
  EXPECT_EQ(send_all_due(due + kHour + 3 * kDay), (Kinds{"overdue"}));
  EXPECT_EQ(send_all_due(due + kHour + 6 * kDay), (Kinds{"overdue"}));
  EXPECT_TRUE(claim(kForever + 1).empty());
  EXPECT_EQ(find(a.id)->reminders_sent, 4);
}

TEST_F(TrainingStoreTest, RetryRequeuesAtTheNewTimeAndFailedIsFinal) {
  const auto ids = make_targets(ws_, {person("a@x.example"), person("b@x.example")});
  TrainingSettings mail;
  mail.remind_days_before = 0;
  mail.max_overdue_reminders = 0;
  assign(request(ids), mail);
  const auto jobs = claim(kNow);
  ASSERT_EQ(jobs.size(), 2u);
  write([&](Repositories& repos) {
    repos.training_mail.mark_training_mail_retry(jobs[0].id, kNow + 300, "451 try later");
    repos.training_mail.mark_training_mail_failed(jobs[1].id, "550 no such user");
  });
  EXPECT_EQ(mails(jobs[1].assignment.id).at(0).state, "failed");
  EXPECT_EQ(mails(jobs[1].assignment.id).at(0).last_error, "550 no such user");
  EXPECT_TRUE(claim(kNow + 299).empty());
  const auto retried = claim(kNow + 300);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].id, jobs[0].id);
  EXPECT_EQ(retried[0].attempts, 2);
  write([&](Repositories& repos) { repos.training_mail.release_training_mail(retried[0].id); });
  // The failed one never comes back; the released one does.
  const auto later = claim(kForever + 1);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].id, jobs[0].id);
}

TEST_F(TrainingStoreTest, ClaimSkipsClosedAssignments) {
  const auto ids = make_targets(ws_, {person("a@x.example"), person("b@x.example")});
  TrainingSettings mail;
  mail.remind_days_before = 0;
  mail.max_overdue_reminders = 0;
  assign(request(ids), mail);
  // Claimed, then the assignment is cancelled while the mail is in flight:
  // its expired lease does not bring it back.
  const auto jobs = claim(kNow, kNow + 60);
  ASSERT_EQ(jobs.size(), 2u);
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, jobs[0].assignment.id, "x", kNow + 1));
  });
  const auto back = claim(kNow + 61);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, jobs[1].id);
}

// ---------------------------------------------------------------- portal

TEST_F(TrainingStoreTest, PortalLinksCreateAndFind) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  write([&](Repositories& repos) {
    repos.portal.create_portal_link(ws_, ids[0], "hash-1", kNow, kNow + 30 * kDay);
  });
  read([&](Repositories& repos) {
    const auto link = repos.portal.find_portal_link("hash-1");
    ASSERT_TRUE(link.has_value());
    EXPECT_EQ(link->workspace_id, ws_);
    EXPECT_EQ(link->target_id, ids[0]);
    EXPECT_EQ(link->expires_at, kNow + 30 * kDay);
    EXPECT_FALSE(repos.portal.find_portal_link("hash-2").has_value());
    EXPECT_FALSE(repos.portal.find_portal_link("").has_value());
  });
}

TEST_F(TrainingStoreTest, ExpiredPortalLinksAreSweptWhenANewOneIsMade) {
  const auto ids = make_targets(ws_, {person("a@x.example"), person("b@x.example")});
  write([&](Repositories& repos) {
    repos.portal.create_portal_link(ws_, ids[0], "old", kNow, kNow + kDay);
    repos.portal.create_portal_link(ws_, ids[0], "still-valid", kNow, kNow + 30 * kDay);
    repos.portal.create_portal_link(ws_, ids[1], "other-person", kNow, kNow + kDay);
  });
  write([&](Repositories& repos) {
    repos.portal.create_portal_link(ws_, ids[0], "new", kNow + 2 * kDay, kNow + 32 * kDay);
  });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.portal.find_portal_link("old").has_value());
    EXPECT_TRUE(repos.portal.find_portal_link("still-valid").has_value());
    EXPECT_TRUE(repos.portal.find_portal_link("new").has_value());
    EXPECT_TRUE(repos.portal.find_portal_link("other-person").has_value());
  });
}

TEST_F(TrainingStoreTest, AssignmentsOfTargetOpenFirstByDueThenDone) {
  const auto ids = make_targets(ws_, {person("a@x.example"), person("b@x.example")});
  auto later = request({ids[0]}, "later");
  later.due_at = kNow + 20 * kDay;
  assign(later);
  auto sooner = request({ids[0]}, "sooner");
  sooner.due_at = kNow + 2 * kDay;
  assign(sooner);
  assign(request({ids[0]}, "done"));
  assign(request({ids[0]}, "dropped"));
  assign(request({ids[1]}, "someone-else"));
  record(only_assignment_of(ids[0], "done").id, 100, true, kNow + 1);
  const auto dropped = only_assignment_of(ids[0], "dropped").id;  // outside the transaction
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, dropped, "x", kNow));
  });
  std::vector<std::string> slugs;
  read([&](Repositories& repos) {
    for (const auto& a : repos.portal.assignments_of_target(ws_, ids[0])) {
      slugs.push_back(a.module_slug);
    }
    EXPECT_TRUE(repos.portal.assignments_of_target(other_ws_, ids[0]).empty());
  });
  EXPECT_EQ(slugs, (std::vector<std::string>{"sooner", "later", "done"}));
}

TEST_F(TrainingStoreTest, MarkStartedOnlyFromAssigned) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  assign(request(ids));
  const auto a = only_assignment_of(ids[0]);
  write([&](Repositories& repos) { repos.portal.mark_started(a.id, kNow + 10); });
  EXPECT_EQ(find(a.id)->status, AssignmentStatus::kInProgress);
  EXPECT_EQ(find(a.id)->started_at, kNow + 10);
  write([&](Repositories& repos) { repos.portal.mark_started(a.id, kNow + 20); });
  EXPECT_EQ(find(a.id)->started_at, kNow + 10);
}

TEST_F(TrainingStoreTest, QuizNonceIsConsumedOnce) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  assign(request(ids));
  const auto a = only_assignment_of(ids[0]);
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(a.id, ""));  // none pending
    repos.portal.set_quiz_nonce(a.id, "nonce-1");
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(a.id, "nonce-2"));
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(a.id + 1000, "nonce-1"));
    EXPECT_TRUE(repos.portal.consume_quiz_nonce(a.id, "nonce-1"));
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(a.id, "nonce-1"));
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(a.id, ""));
  });
  // A newer form replaces the pending nonce.
  write([&](Repositories& repos) {
    repos.portal.set_quiz_nonce(a.id, "nonce-3");
    repos.portal.set_quiz_nonce(a.id, "nonce-4");
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(a.id, "nonce-3"));
    EXPECT_TRUE(repos.portal.consume_quiz_nonce(a.id, "nonce-4"));
  });
  // Not once the assignment is closed.
  write([&](Repositories& repos) {
    repos.portal.set_quiz_nonce(a.id, "nonce-5");
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, a.id, "x", kNow));
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(a.id, "nonce-5"));
  });
}

TEST_F(TrainingStoreTest, FailedAttemptKeepsItInProgress) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  assign(request(ids));
  const auto a = only_assignment_of(ids[0]);
  record(a.id, 40, false, kNow + 100);
  const auto got = find(a.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, AssignmentStatus::kInProgress);
  EXPECT_EQ(got->score, 40);
  EXPECT_EQ(got->passed, false);
  EXPECT_EQ(got->attempts, 1);
  EXPECT_EQ(got->started_at, kNow + 100);
  EXPECT_EQ(got->completed_at, 0);
  EXPECT_EQ(got->module_version, 0);
  // Its reminders still go out.
  EXPECT_EQ(kinds(claim(kNow + 100)), (Kinds{"assigned"}));
}

TEST_F(TrainingStoreTest, PassingAttemptCompletesAndCancelsQueuedMail) {
  const auto ids = make_targets(ws_, {person("a@x.example")});
  assign(request(ids));
  const auto a = only_assignment_of(ids[0]);
  write([&](Repositories& repos) { repos.portal.mark_started(a.id, kNow + 50); });
  record(a.id, 60, false, kNow + 100, 4);
  record(a.id, 100, true, kNow + 200, 4);
  const auto got = find(a.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, AssignmentStatus::kCompleted);
  EXPECT_EQ(got->score, 100);
  EXPECT_EQ(got->passed, true);
  EXPECT_EQ(got->attempts, 2);
  EXPECT_EQ(got->started_at, kNow + 50);
  EXPECT_EQ(got->completed_at, kNow + 200);
  EXPECT_EQ(got->module_version, 4);
  EXPECT_TRUE(claim(kForever - 1).empty());

  read([&](Repositories& repos) {
    const auto attempts = repos.training.attempts_of(a.id);
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0].assignment_id, a.id);
    EXPECT_EQ(attempts[0].score, 60);
    EXPECT_FALSE(attempts[0].passed);
    EXPECT_EQ(attempts[0].submitted_at, kNow + 100);
    EXPECT_EQ(attempts[1].score, 100);
    EXPECT_TRUE(attempts[1].passed);
    EXPECT_EQ(attempts[1].module_version, 4);
    EXPECT_LT(attempts[0].id, attempts[1].id);
    EXPECT_TRUE(repos.training.attempts_of(a.id + 1000).empty());
  });
}

// ---------------------------------------------------------------- report

TEST_F(TrainingStoreTest, ReportCountsPerPerson) {
  const auto ids = make_targets(ws_, {person("c@x.example", "C"), person("a@x.example", "A"),
                                      person("b@x.example", "B"), person("d@x.example", "D")});
  const auto group = make_group("Finance", {ids[0], ids[1], ids[2]});  // c, a, b (not d)
  // a: m1 completed, m2 overdue, m3 open; b: m1 cancelled; c: nothing; d: m1 open.
  assign(request({ids[1], ids[2], ids[3]}, "m1"));
  auto late = request({ids[1]}, "m2");
  late.due_at = kNow - kDay;
  assign(late);
  assign(request({ids[1]}, "m3"));
  record(only_assignment_of(ids[1], "m1").id, 90, true, kNow + 5);
  const auto b_m1 = only_assignment_of(ids[2], "m1").id;  // outside the transaction
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.cancel_assignment(ws_, b_m1, "x", kNow));
  });

  std::vector<TrainingReportRow> rows;
  read([&](Repositories& repos) { rows = repos.training.report(ws_, group, kNow + 10); });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].target.email, "a@x.example");  // by email
  EXPECT_EQ(rows[0].target.first_name, "A");
  EXPECT_EQ(rows[0].target.department, "Dept-A");
  EXPECT_EQ(rows[0].assigned, 3);
  EXPECT_EQ(rows[0].completed, 1);
  EXPECT_EQ(rows[0].overdue, 1);
  EXPECT_EQ(rows[0].last_completed_at, kNow + 5);
  EXPECT_EQ(rows[1].target.email, "b@x.example");
  EXPECT_EQ(rows[1].assigned, 0);  // cancelled does not count
  EXPECT_EQ(rows[1].completed, 0);
  EXPECT_EQ(rows[1].overdue, 0);
  EXPECT_EQ(rows[1].last_completed_at, 0);
  EXPECT_EQ(rows[2].target.email, "c@x.example");
  EXPECT_EQ(rows[2].assigned, 0);

  // Group 0: everyone in the workspace.
  read([&](Repositories& repos) { rows = repos.training.report(ws_, 0, kNow + 8 * kDay); });
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].target.email, "a@x.example");
  EXPECT_EQ(rows[0].overdue, 2);  // m2 and, by then, m3
  EXPECT_EQ(rows[3].target.email, "d@x.example");
  EXPECT_EQ(rows[3].assigned, 1);
  EXPECT_EQ(rows[3].overdue, 1);

  read(
      [&](Repositories& repos) { EXPECT_TRUE(repos.training.report(other_ws_, 0, kNow).empty()); });
}

// ---------------------------------------------------------------- follow-up

class FollowUpTest : public TrainingStoreTest {
 protected:
  void SetUp() override {
    TrainingStoreTest::SetUp();
    write([&](Repositories& repos) {
      EmailTemplate t;
      t.name = "Payroll";
      t.subject = "Hi";
      t.text = "Dear {{.FirstName}}, review {{.URL}}";
      t.from = "Payroll <payroll@corp.example>";
      auto created = repos.templates.create_template(ws_, t);
      ASSERT_TRUE(created.has_value()) << created.error().message;
      template_ = *created;
    });
    ids_ = make_targets(ws_, {person("a@x.example", "A"), person("b@x.example", "B")});
    group_ = make_group("Everyone", ids_);
    TrainingSettings s;
    s.follow_up_delay_seconds = 120;
    s.remind_days_before = 0;
    s.max_overdue_reminders = 0;
    write([&](Repositories& repos) { repos.training.save_settings(ws_, s); });
  }

  // An active campaign with one recipient per target (rid "rid-<c>-<i>").
  std::int64_t launch(const std::optional<FollowUp>& follow_up) {
    std::int64_t id = 0;
    const std::string name = "Campaign " + std::to_string(++campaigns_);
    const testing_support::TestAudience audience{
        ws_, group_, ids_, {person("a@x.example", "A"), person("b@x.example", "B")}};
    write([&](Repositories& repos) {
      id = testing_support::launch_test_campaign(repos, audience, template_, name, follow_up, kNow);
    });
    return id;
  }

  std::int64_t recipient_id(std::int64_t campaign_id, std::size_t index) {
    std::int64_t id = 0;
    read([&](Repositories& repos) {
      const auto info = repos.events.find_rid(testing_support::test_rid(campaign_id, index));
      ASSERT_TRUE(info.has_value());
      id = info->recipient_id;
    });
    return id;
  }

  // A hit recorded the way the phish server records it.
  void hit(std::int64_t campaign_id, std::size_t index, const std::string& kind, int rank,
           std::int64_t at, bool automated = false) {
    service::Hit h;
    h.event.workspace_id = ws_;
    h.event.campaign_id = campaign_id;
    h.event.recipient_id = recipient_id(campaign_id, index);
    h.event.kind = kind;
    h.event.at = at;
    h.event.ip = "203.0.113.7";
    h.event.user_agent = "Mozilla/5.0";
    h.event.automated = automated;
    if (automated) h.event.reason = "scanner";
    h.rank = rank;
    const auto outcomes = service::record_hits(*store_, {&h, 1});
    ASSERT_TRUE(outcomes.has_value()) << outcomes.error().message;
    ASSERT_EQ(outcomes->front(), service::HitOutcome::kRecorded);
  }

  // The id of the recipient's last event of `kind` (0 when there is none).
  std::int64_t last_event_id(std::int64_t campaign_id, std::size_t index, const std::string& kind) {
    const auto recipient = recipient_id(campaign_id, index);
    std::int64_t id = 0;
    read([&](Repositories& repos) {
      for (const auto& e : repos.events.list_events(campaign_id, recipient, {0, 100}).items) {
        if (e.kind == kind) id = e.id;
      }
    });
    return id;
  }

  // An operator's verdict on one event, as the admin API gives it.
  void reclassify(std::int64_t campaign_id, std::int64_t event_id, bool automated,
                  const std::string& reason, std::int64_t now) {
    write([&](Repositories& repos) {
      EXPECT_TRUE(service::reclassify_event(repos, campaign_id, event_id, automated, reason, now));
    });
  }

  // The recipient's hits from the test browser in [from, to] found to be a
  // scanner's (as a decoy hit finds them).
  std::size_t mark_scanner(std::int64_t recipient, std::int64_t from, std::int64_t to) {
    std::size_t changed = 0;
    write([&](Repositories& repos) {
      const auto events = repos.events.mark_automated_between(recipient, from, to, "203.0.113.7",
                                                              "Mozilla/5.0", "decoy");
      service::follow_changed_events(repos, events, true, to);
      changed = events.size();
    });
    return changed;
  }

  std::vector<Assignment> of_campaign(std::int64_t campaign_id) {
    AssignmentFilter f;
    f.campaign_id = campaign_id;
    return list(f);
  }

  EmailTemplate template_;
  std::vector<std::int64_t> ids_;
  std::int64_t group_ = 0;
  int campaigns_ = 0;
};

TEST_F(FollowUpTest, CampaignKeepsItsFollowUp) {
  const auto c = launch(FollowUp{"spotting-red-flags", "submitted", 14});
  read([&](Repositories& repos) {
    const auto found = repos.campaigns.find_campaign(ws_, c);
    ASSERT_TRUE(found.has_value());
    ASSERT_TRUE(found->follow_up.has_value());
    EXPECT_EQ(found->follow_up->module_slug, "spotting-red-flags");
    EXPECT_EQ(found->follow_up->trigger, "submitted");
    EXPECT_EQ(found->follow_up->due_days, 14);
    const auto info = repos.events.find_rid("rid-" + std::to_string(c) + "-0");
    ASSERT_TRUE(info.has_value());
    EXPECT_TRUE(info->has_follow_up);
    EXPECT_EQ(info->target_id, ids_[0]);
  });
  const auto plain = launch(std::nullopt);
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.campaigns.find_campaign(ws_, plain)->follow_up.has_value());
    EXPECT_FALSE(repos.events.find_rid("rid-" + std::to_string(plain) + "-0")->has_follow_up);
  });
}

TEST_F(FollowUpTest, HumanClickAssignsOnceWithADelayedNotice) {
  const auto c = launch(FollowUp{"spotting-red-flags", "clicked", 7});
  const std::int64_t at = kNow + 1000;
  hit(c, 0, "opened", 1, at - 10);
  EXPECT_TRUE(of_campaign(c).empty());  // an open is not a click
  hit(c, 0, "clicked", 2, at);
  auto items = of_campaign(c);
  ASSERT_EQ(items.size(), 1u);
  const auto a = items[0];
  EXPECT_EQ(a.target.id, ids_[0]);
  EXPECT_EQ(a.target.email, "a@x.example");
  EXPECT_EQ(a.module_slug, "spotting-red-flags");
  EXPECT_EQ(a.reason, "campaign");
  EXPECT_EQ(a.campaign_id, c);
  EXPECT_EQ(a.status, AssignmentStatus::kAssigned);
  EXPECT_EQ(a.assigned_at, at);
  EXPECT_EQ(a.due_at, at + 7 * kDay);
  // No training profile in the settings: the campaign's relay and base URL.
  EXPECT_EQ(a.profile_id, 33);
  EXPECT_EQ(a.portal_base_url, "https://phish.example.com");
  // The notice waits for follow_up_delay_seconds.
  EXPECT_TRUE(claim(at + 119).empty());
  const auto notice = claim(at + 120);
  ASSERT_EQ(kinds(notice), (Kinds{"assigned"}));
  EXPECT_EQ(notice[0].assignment.id, a.id);

  // Another click, then a submission: still one assignment.
  hit(c, 0, "clicked", 2, at + 500);
  hit(c, 0, "submitted", 3, at + 600);
  EXPECT_EQ(of_campaign(c).size(), 1u);
  // The other recipient did nothing.
  AssignmentFilter f;
  f.target_id = ids_[1];
  EXPECT_TRUE(list(f).empty());
}

TEST_F(FollowUpTest, TrainingSettingsOverrideTheCampaignRelayAndBase) {
  const auto relay = make_profile(ws_, "Training relay");
  TrainingSettings s;
  s.profile_id = relay;
  s.portal_base_url = "https://learn.example.com";
  s.follow_up_delay_seconds = 0;
  write([&](Repositories& repos) { repos.training.save_settings(ws_, s); });
  const auto c = launch(FollowUp{"m", "clicked", 3});
  hit(c, 1, "clicked", 2, kNow + 10);
  const auto items = of_campaign(c);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].target.id, ids_[1]);
  EXPECT_EQ(items[0].profile_id, relay);
  EXPECT_EQ(items[0].portal_base_url, "https://learn.example.com");
  EXPECT_EQ(items[0].due_at, kNow + 10 + 3 * kDay);
  EXPECT_EQ(kinds(claim(kNow + 10)), (Kinds{"assigned"}));
}

TEST_F(FollowUpTest, AutomatedClickAssignsNothing) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10, /*automated=*/true);
  EXPECT_TRUE(of_campaign(c).empty());
}

TEST_F(FollowUpTest, NoFollowUpNoAssignment) {
  const auto c = launch(std::nullopt);
  hit(c, 0, "submitted", 3, kNow + 10);
  EXPECT_TRUE(list().empty());
}

TEST_F(FollowUpTest, SubmittedTriggerIgnoresAClick) {
  const auto c = launch(FollowUp{"m", "submitted", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  EXPECT_TRUE(of_campaign(c).empty());
  hit(c, 0, "submitted", 3, kNow + 20);
  const auto items = of_campaign(c);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].reason, "campaign");
  EXPECT_EQ(items[0].assigned_at, kNow + 20);
}

TEST_F(FollowUpTest, AnOpenManualAssignmentOfTheModuleIsEnough) {
  assign(request({ids_[0]}, "m"));
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  EXPECT_TRUE(of_campaign(c).empty());
  AssignmentFilter f;
  f.module_slug = "m";
  EXPECT_EQ(list(f).size(), 1u);
}

TEST_F(FollowUpTest, EachCampaignAssignsOnce) {
  const auto first = launch(FollowUp{"m", "clicked", 7});
  hit(first, 0, "clicked", 2, kNow + 10);
  const auto a = of_campaign(first);
  ASSERT_EQ(a.size(), 1u);
  record(a[0].id, 100, true, kNow + 20);
  // A later campaign assigns the module again once the first is done.
  const auto second = launch(FollowUp{"m", "clicked", 7});
  hit(second, 0, "clicked", 2, kNow + 30);
  EXPECT_EQ(of_campaign(second).size(), 1u);
}

TEST_F(FollowUpTest, ClickReclassifiedAsHumanAssigns) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10, /*automated=*/true);
  ASSERT_TRUE(of_campaign(c).empty());
  const auto click_event = last_event_id(c, 0, "clicked");
  ASSERT_NE(click_event, 0);
  reclassify(c, click_event, false, "", kNow + 3 * kDay);
  // Assigned as of the operator's verdict, so the person gets the full time.
  const auto items = of_campaign(c);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].reason, "campaign");
  EXPECT_EQ(items[0].assigned_at, kNow + 3 * kDay);
  EXPECT_EQ(items[0].due_at, kNow + 3 * kDay + 7 * kDay);
}

// With the "submitted" trigger the result reaches the trigger when the
// person submits, not when they first clicked (sync_follow_up: "`at` is when
// the result changed").
TEST_F(FollowUpTest, SubmitReclassifiedAsHumanAssignsFromTheSubmission) {
  const auto c = launch(FollowUp{"m", "submitted", 7});
  const std::int64_t click_at = kNow + 10;
  const std::int64_t submit_at = kNow + 2 * kDay;
  hit(c, 0, "clicked", 2, click_at);
  hit(c, 0, "submitted", 3, submit_at, /*automated=*/true);
  ASSERT_TRUE(of_campaign(c).empty());
  const auto submit_event = last_event_id(c, 0, "submitted");
  ASSERT_NE(submit_event, 0);
  reclassify(c, submit_event, false, "", submit_at);
  const auto items = of_campaign(c);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].assigned_at, submit_at);
  EXPECT_EQ(items[0].due_at, submit_at + 7 * kDay);
}

TEST_F(FollowUpTest, ScannerMarkWithdrawsANotStartedAssignmentAndItsMail) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  const auto before = of_campaign(c);
  ASSERT_EQ(before.size(), 1u);
  const auto rid = recipient_id(c, 0);
  EXPECT_EQ(mark_scanner(rid, kNow, kNow + 20), 1u);
  const auto after = find(before[0].id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, AssignmentStatus::kCancelled);
  EXPECT_FALSE(after->cancel_reason.empty());
  EXPECT_TRUE(claim(kForever - 1).empty());  // the delayed notice never goes
}

TEST_F(FollowUpTest, ReclassifiedClickWithdrawsTheAssignment) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "opened", 1, kNow + 5);
  hit(c, 0, "clicked", 2, kNow + 10);
  const auto before = of_campaign(c);
  ASSERT_EQ(before.size(), 1u);
  const auto click_event = last_event_id(c, 0, "clicked");
  ASSERT_NE(click_event, 0);
  reclassify(c, click_event, true, "operator: scanner", kNow + kDay);
  // The open still counts (rank 1), which is below the trigger.
  const auto after = find(before[0].id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, AssignmentStatus::kCancelled);
  EXPECT_FALSE(after->cancel_reason.empty());
  EXPECT_TRUE(claim(kForever - 1).empty());
}

TEST_F(FollowUpTest, SubmitReclassifiedWithdrawsASubmittedTriggerAssignment) {
  const auto c = launch(FollowUp{"m", "submitted", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  hit(c, 0, "submitted", 3, kNow + 20);
  const auto before = of_campaign(c);
  ASSERT_EQ(before.size(), 1u);
  const auto submit_event = last_event_id(c, 0, "submitted");
  ASSERT_NE(submit_event, 0);
  reclassify(c, submit_event, true, "scanner", kNow + kDay);
  EXPECT_EQ(find(before[0].id)->status, AssignmentStatus::kCancelled);
}

TEST_F(FollowUpTest, StartedAssignmentIsKeptWhenTheClickIsReclassified) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  const auto before = of_campaign(c);
  ASSERT_EQ(before.size(), 1u);
  write([&](Repositories& repos) { repos.portal.mark_started(before[0].id, kNow + 60); });
  const auto rid = recipient_id(c, 0);
  mark_scanner(rid, kNow, kNow + 20);
  const auto after = find(before[0].id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, AssignmentStatus::kInProgress);
  EXPECT_EQ(after->cancel_reason, "");
}

TEST_F(FollowUpTest, ReclassifyingAnotherRecipientLeavesThisOneAlone) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  hit(c, 1, "clicked", 2, kNow + 10);
  ASSERT_EQ(of_campaign(c).size(), 2u);
  const auto rid = recipient_id(c, 1);
  mark_scanner(rid, kNow, kNow + 20);
  AssignmentFilter f;
  f.campaign_id = c;
  f.status = AssignmentStatus::kAssigned;
  const auto open = list(f);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].target.id, ids_[0]);
}

// A click first taken for a scanner's withdraws the assignment; when the
// person then really clicks, they should still be assigned the training
// (the campaign assigned nobody for a human click yet).
TEST_F(FollowUpTest, RealClickAfterAWithdrawnAssignmentAssignsAgain) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  const auto rid = recipient_id(c, 0);
  mark_scanner(rid, kNow, kNow + 20);
  AssignmentFilter open;
  open.campaign_id = c;
  open.status = AssignmentStatus::kAssigned;
  ASSERT_TRUE(list(open).empty());
  hit(c, 0, "clicked", 2, kNow + 3 * kHour);
  const auto reopened = list(open);
  ASSERT_EQ(reopened.size(), 1u)
      << "a human click after the withdrawn one left the person without training";
  EXPECT_EQ(reopened[0].cancel_reason, "");
  EXPECT_EQ(reopened[0].assigned_at, kNow + 3 * kHour);
  EXPECT_EQ(reopened[0].due_at, kNow + 3 * kHour + 7 * kDay);
  EXPECT_EQ(of_campaign(c).size(), 1u);  // still one per campaign
  // Its notice goes out after the delay from the real click.
  EXPECT_TRUE(claim(kNow + 3 * kHour + 119).empty());
  EXPECT_EQ(kinds(claim(kNow + 3 * kHour + 120)), (Kinds{"assigned"}));
}

TEST_F(FollowUpTest, WithdrawnAssignmentIsNotReopenedWhenTheModuleWasAssignedMeanwhile) {
  const auto c = launch(FollowUp{"m", "clicked", 7});
  hit(c, 0, "clicked", 2, kNow + 10);
  const auto rid = recipient_id(c, 0);
  mark_scanner(rid, kNow, kNow + 20);
  assign(request({ids_[0]}, "m"));  // an operator assigns it by hand
  hit(c, 0, "clicked", 2, kNow + 3 * kHour);
  AssignmentFilter f;
  f.target_id = ids_[0];
  f.status = AssignmentStatus::kAssigned;
  const auto open = list(f);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].reason, "manual");
}

}  // namespace
}  // namespace phishdrill
