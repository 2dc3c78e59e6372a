// The reports and reporting-mailbox ports on every backend (part of the store
// conformance suite): a report is one per reporter and Message-ID, clusters
// count their reports, verdicts reach a cluster's reports, aliases name one
// person, originals are kept apart and dropped by age, and a mailbox's polls
// and messages are taken once.
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

class ReportsStoreTest : public testing_support::StoreConformance {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    write([&](Repositories& repos) {
      audience_ =
          testing_support::make_test_audience(repos, {"ada@x.example", "bob@x.example"}, kNow);
    });
  }

  Report report(const std::string& reporter, const std::string& message_id) const {
    Report r;
    r.workspace_id = audience_.workspace_id;
    r.source = "mailbox";
    r.reporter = reporter;
    r.received_at = kNow;
    r.message_id = message_id;
    r.subject = "Your mailbox is full";
    r.from_address = "it@exarnple.org";
    r.score = 70;
    r.suggested_verdict = "threat";
    r.evidence_json = R"({"findings":[]})";
    return r;
  }

  Result<std::int64_t> insert(const Report& r) {
    Result<std::int64_t> id = fail(ErrorCode::kInternal, "not run");
    write([&](Repositories& repos) { id = repos.reports.insert_report(r); });
    return id;
  }

  std::int64_t cluster(const std::string& fingerprint, int score, std::int64_t at) {
    ReportCluster seen;
    seen.fingerprint = fingerprint;
    seen.subject = "Your mailbox is full";
    seen.from_address = "it@exarnple.org";
    seen.first_at = at;
    seen.score = score;
    seen.suggested_verdict = score >= 60 ? "threat" : "spam";
    std::int64_t id = 0;
    write([&](Repositories& repos) { id = repos.reports.join_cluster(ws(), seen); });
    return id;
  }

  std::int64_t ws() const { return audience_.workspace_id; }

  ReportingMailbox mailbox(const std::string& name) const {
    ReportingMailbox m;
    m.workspace_id = ws();
    m.name = name;
    m.host = "imap.example.org";
    m.username = "reports@example.org";
    m.created_at = m.updated_at = kNow;
    return m;
  }

  testing_support::TestAudience audience_;
};

TEST_P(ReportsStoreTest, AReporterReportsAMessageOnce) {
  const auto first = insert(report("ada@x.example", "m1@evil.example"));
  ASSERT_TRUE(first.has_value()) << first.error().message;
  const auto again = insert(report("ada@x.example", "m1@evil.example"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "message_id");
  // Another reporter, or a message without a Message-ID, is a report of its own.
  EXPECT_TRUE(insert(report("bob@x.example", "m1@evil.example")).has_value());
  EXPECT_TRUE(insert(report("ada@x.example", "")).has_value());
  EXPECT_TRUE(insert(report("ada@x.example", "")).has_value());
}

TEST_P(ReportsStoreTest, ReportsReadBackWholeAndListNewestFirstWithFilters) {
  Report simulation = report("ada@x.example", "sim@x");
  simulation.status = ReportStatus::kSimulation;
  simulation.recipient_id = 5;
  simulation.campaign_id = 6;
  simulation.seconds_to_report = 240;
  const auto sim_id = *insert(simulation);
  Report triage = report("bob@x.example", "real@x");
  triage.cluster_id = cluster("real@x", 70, kNow);
  const auto triage_id = *insert(triage);

  read([&](Repositories& repos) {
    const auto found = repos.reports.find_report(ws(), sim_id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->status, ReportStatus::kSimulation);
    EXPECT_EQ(found->recipient_id, 5);
    EXPECT_EQ(found->seconds_to_report, 240);
    EXPECT_EQ(found->cluster_id, 0);
    EXPECT_EQ(found->evidence_json, R"({"findings":[]})");
    EXPECT_FALSE(found->has_raw);
    EXPECT_FALSE(repos.reports.find_report(ws() + 1, sim_id));

    const auto all = repos.reports.list_reports(ws(), {}, {0, 1});
    ASSERT_EQ(all.items.size(), 1u);
    EXPECT_EQ(all.items[0].id, triage_id);
    ASSERT_TRUE(all.next_after);
    const auto rest = repos.reports.list_reports(ws(), {}, {*all.next_after, 10});
    ASSERT_EQ(rest.items.size(), 1u);
    EXPECT_EQ(rest.items[0].id, sim_id);

    ReportFilter only_triage;
    only_triage.status = ReportStatus::kTriage;
    const auto triaged = repos.reports.list_reports(ws(), only_triage, {0, 10});
    ASSERT_EQ(triaged.items.size(), 1u);
    EXPECT_EQ(triaged.items[0].id, triage_id);
    ReportFilter undecided;
    undecided.verdict = "none";
    EXPECT_EQ(repos.reports.list_reports(ws(), undecided, {0, 10}).items.size(), 2u);
  });
}

TEST_P(ReportsStoreTest, AClusterCountsItsReportsAndKeepsTheHighestScore) {
  const auto id = cluster("fp", 30, kNow + 10);
  EXPECT_EQ(cluster("fp", 80, kNow), id);
  EXPECT_EQ(cluster("fp", 50, kNow + 20), id);
  EXPECT_NE(cluster("other", 10, kNow), id);
  read([&](Repositories& repos) {
    const auto c = repos.reports.find_cluster(ws(), id);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->report_count, 3);
    EXPECT_EQ(c->score, 80);
    EXPECT_EQ(c->suggested_verdict, "threat");
    EXPECT_EQ(c->first_at, kNow);
    EXPECT_EQ(c->last_at, kNow + 20);
    EXPECT_EQ(repos.reports.list_clusters(ws(), {}, {0, 10}).items.size(), 2u);
  });
}

TEST_P(ReportsStoreTest, AClusterVerdictReachesEveryReportInIt) {
  const auto c = cluster("fp", 70, kNow);
  Report a = report("ada@x.example", "m@x");
  a.cluster_id = c;
  Report b = report("bob@x.example", "m@x");
  b.cluster_id = c;
  const auto a_id = *insert(a);
  const auto b_id = *insert(b);
  const auto lone = *insert(report("ada@x.example", "other@x"));
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.reports.set_cluster_verdict(ws(), c, "threat", "credential phish", 9, kNow));
    EXPECT_FALSE(repos.reports.set_cluster_verdict(ws() + 1, c, "clean", "", 9, kNow));
    EXPECT_TRUE(repos.reports.set_report_verdict(ws(), lone, "spam", "", 9, kNow + 1));
    EXPECT_FALSE(repos.reports.set_report_verdict(ws(), 999999, "spam", "", 9, kNow));
  });
  read([&](Repositories& repos) {
    const auto members = repos.reports.cluster_reports(ws(), c);
    ASSERT_EQ(members.size(), 2u);
    EXPECT_EQ(members[0].id, a_id);
    EXPECT_EQ(members[1].id, b_id);
    for (const auto& r : members) {
      EXPECT_EQ(r.verdict, "threat");
      EXPECT_EQ(r.verdict_note, "credential phish");
      EXPECT_EQ(r.verdict_by, 9);
    }
    EXPECT_EQ(repos.reports.find_report(ws(), lone)->verdict, "spam");
    EXPECT_EQ(repos.reports.find_cluster(ws(), c)->verdict, "threat");
    ClusterFilter undecided;
    undecided.verdict = "none";
    EXPECT_TRUE(repos.reports.list_clusters(ws(), undecided, {0, 10}).items.empty());
  });
}

TEST_P(ReportsStoreTest, OriginalsAreKeptApartAndDroppedByAge) {
  const auto old_id = *insert(report("ada@x.example", "old@x"));
  Report recent = report("bob@x.example", "new@x");
  recent.received_at = kNow + 100;
  const auto new_id = *insert(recent);
  int dropped = 0;
  write([&](Repositories& repos) {
    repos.reports.keep_original(old_id, "sealed-old");
    repos.reports.keep_original(new_id, "sealed-new");
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.reports.original(ws(), old_id), "sealed-old");
    EXPECT_FALSE(repos.reports.original(ws() + 1, old_id));
    EXPECT_TRUE(repos.reports.find_report(ws(), old_id)->has_raw);
  });
  write([&](Repositories& repos) { dropped = repos.reports.drop_originals_before(kNow + 50); });
  EXPECT_EQ(dropped, 1);
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.reports.original(ws(), old_id));
    EXPECT_FALSE(repos.reports.find_report(ws(), old_id)->has_raw);
    EXPECT_EQ(repos.reports.original(ws(), new_id), "sealed-new");
  });
}

TEST_P(ReportsStoreTest, AliasesNameOnePersonAndTheirSimulationsAreFoundByMessageId) {
  const auto ada = audience_.target_ids[0];
  const auto bob = audience_.target_ids[1];
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.reporters.replace_aliases(ws(), ada, {"ada@home.example", "al@x.example"}));
    const auto taken = repos.reporters.replace_aliases(ws(), bob, {"al@x.example"});
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
    EXPECT_EQ(taken.error().field, "aliases");
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.reporters.target_with_address(ws(), "ada@home.example"), ada);
    EXPECT_EQ(repos.reporters.target_with_address(ws(), "bob@x.example"), bob);
    EXPECT_FALSE(repos.reporters.target_with_address(ws(), "eve@x.example"));
    EXPECT_FALSE(repos.reporters.target_with_address(ws() + 1, "ada@home.example"));
    EXPECT_EQ(repos.reporters.aliases(ws(), ada),
              (std::vector<std::string>{"ada@home.example", "al@x.example"}));
  });
  std::int64_t campaign = 0;
  write([&](Repositories& repos) {
    campaign = testing_support::launch_test_campaign(
        repos, audience_, testing_support::test_template_content(), "Q4", std::nullopt, kNow);
  });
  const std::string rid = testing_support::test_rid(campaign, 1);
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.reporters.rid_with_message_id(ws(), rid + "@mail.example"), rid);
    EXPECT_FALSE(repos.reporters.rid_with_message_id(ws() + 1, rid + "@mail.example"));
    EXPECT_FALSE(repos.reporters.rid_with_message_id(ws(), ""));
  });
}

TEST_P(ReportsStoreTest, AMailboxPollIsClaimedOnceAndItsMessagesTakenInOnce) {
  std::int64_t id = 0;
  write([&](Repositories& repos) {
    auto created = repos.mailboxes.create_mailbox(mailbox("Reports"), "sealed-password");
    ASSERT_TRUE(created.has_value());
    id = created->id;
    EXPECT_TRUE(created->has_secret);
    EXPECT_EQ(repos.mailboxes.create_mailbox(mailbox("Reports"), "").error().code,
              ErrorCode::kConflict);
  });
  std::vector<MailboxPoll> first;
  std::vector<MailboxPoll> second;
  write([&](Repositories& repos) { first = repos.mailboxes.claim_polls(kNow, kNow + 60, 10); });
  write([&](Repositories& repos) { second = repos.mailboxes.claim_polls(kNow, kNow + 60, 10); });
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].secret_sealed, "sealed-password");
  EXPECT_TRUE(second.empty());

  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.mailboxes.begin_message(id, 7, 1, kNow));
    // A poll that died left it "taking": the next one takes it again.
    EXPECT_TRUE(repos.mailboxes.begin_message(id, 7, 1, kNow + 1));
    repos.mailboxes.finish_message(id, 7, 1, 42, "matched");
    EXPECT_FALSE(repos.mailboxes.begin_message(id, 7, 1, kNow + 2));
    // A new UIDVALIDITY is a new message.
    EXPECT_TRUE(repos.mailboxes.begin_message(id, 8, 1, kNow + 2));
    repos.mailboxes.save_position(id, 7, 1);
    repos.mailboxes.finish_poll(id, kNow, kNow + 60, "");
  });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.mailboxes.claim_polls(kNow + 59, kNow + 120, 10).empty());
    const auto due = repos.mailboxes.claim_polls(kNow + 60, kNow + 120, 10);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].uid_validity, 7u);
    EXPECT_EQ(due[0].last_uid, 1u);
    EXPECT_EQ(due[0].mailbox.last_polled_at, kNow);
  });
}

TEST_P(ReportsStoreTest, ADisabledOrDeletedMailboxIsNotPolled) {
  std::int64_t id = 0;
  write([&](Repositories& repos) {
    id = repos.mailboxes.create_mailbox(mailbox("Reports"), "s")->id;
    ReportingMailbox changed = mailbox("Renamed");
    changed.id = id;
    changed.enabled = false;
    ASSERT_TRUE(repos.mailboxes.update_mailbox(changed, ""));
  });
  read([&](Repositories& repos) {
    const auto found = repos.mailboxes.find_mailbox(ws(), id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "Renamed");
    EXPECT_FALSE(found->enabled);
    EXPECT_EQ(repos.mailboxes.mailbox_secret(ws(), id), "s");  // an empty secret keeps it
  });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.mailboxes.claim_polls(kNow, kNow + 60, 10).empty());
    EXPECT_FALSE(repos.mailboxes.renew_poll(id, kNow + 60));
    EXPECT_TRUE(repos.mailboxes.delete_mailbox(ws(), id));
    EXPECT_FALSE(repos.mailboxes.find_mailbox(ws(), id));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportsStoreTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill
