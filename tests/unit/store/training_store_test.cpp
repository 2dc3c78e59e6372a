// The training, portal and training-mail ports on every backend (part of
// the store conformance suite): one open assignment per person and module,
// filters, the mail queue's exclusive leases, portal links, quiz nonces that
// work once, and a campaign's follow-up withdrawn and reopened.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"

namespace phishdrill {
namespace {

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC
constexpr std::int64_t kDay = 86400;

class TrainingStoreTest : public testing_support::StoreConformance {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    write([&](Repositories& repos) {
      audience_ =
          testing_support::make_test_audience(repos, {"ann@x.example", "bob@x.example"}, kNow);
    });
  }

  NewAssignments request(const std::string& module) const {
    NewAssignments r;
    r.module_slug = module;
    r.profile_id = 9;
    r.portal_base_url = "https://learn.example.com";
    r.now = kNow;
    r.due_at = kNow + 7 * kDay;
    return r;
  }

  std::optional<std::int64_t> assign(std::size_t person, const std::string& module) {
    std::optional<std::int64_t> id;
    write([&](Repositories& repos) {
      id = repos.training.insert_assignment(audience_.workspace_id, audience_.target_ids[person],
                                            request(module));
    });
    return id;
  }

  testing_support::TestAudience audience_;
};

TEST_P(TrainingStoreTest, SettingsDefaultThenSaved) {
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.training.settings(audience_.workspace_id).link_valid_days, 30);
  });
  TrainingSettings s;
  s.portal_base_url = "https://learn.example.com";
  s.cc_manager_when_overdue = true;
  s.link_valid_days = 12;
  write([&](Repositories& repos) {
    repos.training.save_settings(audience_.workspace_id, s);
    s.link_valid_days = 13;
    repos.training.save_settings(audience_.workspace_id, s);
  });
  read([&](Repositories& repos) {
    const auto saved = repos.training.settings(audience_.workspace_id);
    EXPECT_EQ(saved.link_valid_days, 13);
    EXPECT_TRUE(saved.cc_manager_when_overdue);
    EXPECT_EQ(saved.portal_base_url, "https://learn.example.com");
    EXPECT_EQ(saved.profile_id, 0);  // no such profile in the workspace
  });
}

TEST_P(TrainingStoreTest, OneOpenAssignmentPerPersonAndModule) {
  const auto first = assign(0, "phishing-basics");
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(assign(0, "phishing-basics").has_value());
  EXPECT_TRUE(assign(0, "passwords").has_value());
  EXPECT_TRUE(assign(1, "phishing-basics").has_value());
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.training.unknown_targets(audience_.workspace_id,
                                             {999999, audience_.target_ids[1], 999998}),
              (std::vector<std::int64_t>{999999, 999998}));
    const auto found = repos.training.find_assignment(audience_.workspace_id, *first);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->target.email, "ann@x.example");
    EXPECT_EQ(found->status, AssignmentStatus::kAssigned);
    EXPECT_FALSE(found->score.has_value());
    EXPECT_FALSE(repos.training.find_assignment(audience_.workspace_id + 1000, *first));
    AssignmentFilter module;
    module.module_slug = "phishing-basics";
    EXPECT_EQ(repos.training.list_assignments(audience_.workspace_id, module, {0, 10}).items.size(),
              2u);
    AssignmentFilter of_ann;
    of_ann.target_id = audience_.target_ids[0];
    EXPECT_EQ(repos.training.list_assignments(audience_.workspace_id, of_ann, {0, 10}).items.size(),
              2u);
    AssignmentFilter overdue;
    overdue.overdue_only = true;
    overdue.now = kNow + 8 * kDay;
    EXPECT_EQ(
        repos.training.list_assignments(audience_.workspace_id, overdue, {0, 10}).items.size(), 3u);
    AssignmentFilter assigned;
    assigned.status = AssignmentStatus::kAssigned;
    assigned.now = kNow + 8 * kDay;  // past due: shown as overdue, not as assigned
    EXPECT_TRUE(
        repos.training.list_assignments(audience_.workspace_id, assigned, {0, 10}).items.empty());
    assigned.now = kNow;
    const auto page = repos.training.list_assignments(audience_.workspace_id, assigned, {0, 2});
    EXPECT_EQ(page.items.size(), 2u);
    EXPECT_TRUE(page.next_after.has_value());
    const auto report = repos.training.report(audience_.workspace_id, audience_.group_id, kNow);
    ASSERT_EQ(report.size(), 2u);
    EXPECT_EQ(report[0].target.email, "ann@x.example");
    EXPECT_EQ(report[0].assigned, 2);
  });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.training.cancel_assignment(audience_.workspace_id, *first, "left", kNow));
    EXPECT_FALSE(repos.training.cancel_assignment(audience_.workspace_id, *first, "left", kNow));
  });
  EXPECT_TRUE(assign(0, "phishing-basics").has_value());  // the cancelled one is not open
}

TEST_P(TrainingStoreTest, MailClaimsAreExclusiveUntilTheLeaseRunsOut) {
  const auto id = assign(0, "phishing-basics");
  ASSERT_TRUE(id.has_value());
  write([&](Repositories& repos) {
    repos.training.queue_training_mail(audience_.workspace_id, *id,
                                       {{"assigned", kNow}, {"reminder", kNow + 5 * kDay}});
  });
  std::vector<TrainingMailJob> jobs;
  write([&](Repositories& repos) {
    jobs = repos.training_mail.claim_training_mail(kNow, kNow + 60, 10);
    EXPECT_TRUE(repos.training_mail.claim_training_mail(kNow + 30, kNow + 90, 10).empty());
  });
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, "assigned");
  EXPECT_EQ(jobs[0].attempts, 1);
  EXPECT_EQ(jobs[0].assignment.id, *id);
  EXPECT_EQ(jobs[0].assignment.target.email, "ann@x.example");
  write([&](Repositories& repos) {
    const auto again = repos.training_mail.claim_training_mail(kNow + 61, kNow + 120, 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempts, 2);
    EXPECT_TRUE(repos.training_mail.renew_training_mail_lease(again[0].id, kNow + 180));
    repos.training_mail.mark_training_mail_sent(again[0].id, "<m1@x>", kNow + 62);
    EXPECT_FALSE(repos.training_mail.renew_training_mail_lease(again[0].id, kNow + 240));
  });
  write([&](Repositories& repos) {
    const auto reminder = repos.training_mail.claim_training_mail(kNow + 5 * kDay, kNow, 10);
    ASSERT_EQ(reminder.size(), 1u);
    repos.training_mail.mark_training_mail_sent(reminder[0].id, "<m2@x>", kNow + 5 * kDay);
    repos.training_mail.mark_training_mail_sent(reminder[0].id, "<m2@x>", kNow + 5 * kDay);
  });
  read([&](Repositories& repos) {
    const auto mails = repos.training.mails_of(*id);
    ASSERT_EQ(mails.size(), 2u);
    EXPECT_EQ(mails[0].state, "sent");
    EXPECT_EQ(mails[0].attempts, 2);
    const auto a = repos.training.find_assignment(audience_.workspace_id, *id);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->reminders_sent, 1);  // the notice is not a reminder; a repeat is not counted
  });
}

TEST_P(TrainingStoreTest, PortalLinksNoncesAndAttempts) {
  const auto id = assign(0, "phishing-basics");
  ASSERT_TRUE(id.has_value());
  const auto ann = audience_.target_ids[0];
  write([&](Repositories& repos) {
    repos.training.queue_training_mail(audience_.workspace_id, *id, {{"reminder", kNow + kDay}});
    repos.portal.replace_start_link(audience_.workspace_id, ann, *id, "hash-1", kNow, kNow + 10);
    repos.portal.replace_start_link(audience_.workspace_id, ann, *id, "hash-2", kNow, kNow + 20);
    repos.portal.create_portal_link(audience_.workspace_id, ann, "hash-3", kNow, kNow + 30);
  });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.portal.find_portal_link("hash-1").has_value());
    const auto link = repos.portal.find_portal_link("hash-2");
    ASSERT_TRUE(link.has_value());
    EXPECT_EQ(link->target_id, ann);
    EXPECT_EQ(link->expires_at, kNow + 20);
    EXPECT_TRUE(repos.portal.find_portal_link("hash-3").has_value());
  });
  write([&](Repositories& repos) {
    repos.portal.mark_started(*id, kNow + 100);
    repos.portal.set_quiz_nonce(*id, "nonce");
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(*id, "other"));
    EXPECT_TRUE(repos.portal.consume_quiz_nonce(*id, "nonce"));
    EXPECT_FALSE(repos.portal.consume_quiz_nonce(*id, "nonce"));
    repos.portal.record_attempt({0, *id, kNow + 200, 40, false, 3});
    repos.portal.record_attempt({0, *id, kNow + 300, 90, true, 3});
  });
  read([&](Repositories& repos) {
    const auto a = repos.training.find_assignment(audience_.workspace_id, *id);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->status, AssignmentStatus::kCompleted);
    EXPECT_EQ(a->started_at, kNow + 100);
    EXPECT_EQ(a->completed_at, kNow + 300);
    EXPECT_EQ(a->score, 90);
    EXPECT_EQ(a->passed, true);
    EXPECT_EQ(a->attempts, 2);
    EXPECT_EQ(repos.training.attempts_of(*id).size(), 2u);
    EXPECT_EQ(repos.training.mails_of(*id).at(0).state, "cancelled");
    EXPECT_EQ(repos.portal.assignments_of_target(audience_.workspace_id, ann).size(), 1u);
  });
}

TEST_P(TrainingStoreTest, ACampaignFollowUpIsWithdrawnAndReopened) {
  std::int64_t campaign = 0;
  write([&](Repositories& repos) {
    auto tmpl = testing_support::test_template_content();
    tmpl.id = 77;
    campaign = testing_support::launch_test_campaign(
        repos, audience_, tmpl, "Q4", FollowUp{"phishing-basics", "clicked", 7}, kNow);
  });
  const auto ann = audience_.target_ids[0];
  std::int64_t assignment = 0;
  write([&](Repositories& repos) {
    const auto rid = repos.events.find_rid(testing_support::test_rid(campaign, 0));
    ASSERT_TRUE(rid.has_value());
    const auto follow_up = repos.training.campaign_follow_up(rid->recipient_id);
    ASSERT_TRUE(follow_up.has_value());
    EXPECT_EQ(follow_up->follow_up.module_slug, "phishing-basics");
    EXPECT_EQ(follow_up->profile_id, 33);
    auto r = request("phishing-basics");
    r.reason = "campaign";
    r.campaign_id = campaign;
    assignment = repos.training.insert_assignment(audience_.workspace_id, ann, r).value_or(0);
    ASSERT_NE(assignment, 0);
    EXPECT_FALSE(repos.training.insert_assignment(audience_.workspace_id, ann, r).has_value());
  });
  write([&](Repositories& repos) {
    EXPECT_EQ(repos.training.withdraw_unstarted(campaign, ann, "automated"), assignment);
    EXPECT_EQ(repos.training.withdraw_unstarted(campaign, ann, "automated"), 0);
    EXPECT_EQ(repos.training.reopen_withdrawn(campaign, ann, "other reason", kNow, kNow),
              std::nullopt);
    EXPECT_EQ(repos.training.reopen_withdrawn(campaign, ann, "automated", kNow + 5, kNow + 9),
              assignment);
  });
  read([&](Repositories& repos) {
    const auto a = repos.training.find_assignment(audience_.workspace_id, assignment);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->status, AssignmentStatus::kAssigned);
    EXPECT_EQ(a->due_at, kNow + 9);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, TrainingStoreTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill
