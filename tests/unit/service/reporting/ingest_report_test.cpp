// Taking in reports (service/reporting/ingest_report.h) on every store
// backend: a simulation reported by the person it was sent to (by address or
// alias, matched by its tracking link — also inside Safe Links — or its
// Message-ID) is credited as a "reported" event with the time to report and
// never assigns or withdraws follow-up training; anyone else's report of it
// credits nobody, and one of a finished campaign credits nobody either; a
// real message is judged, clustered and sealed; the same Message-ID from
// the same person is one report; a report with nothing readable is refused.
#include "service/reporting/ingest_report.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "service/record_hits.h"
#include "service/reporting/report_fingerprint.h"
#include "service/reporting/reporting_fixture.h"
#include "service/reporting/triage.h"

namespace phishdrill::service {
namespace {

class IngestReportTest : public testing_support::ReportingFixture {
 protected:
  static constexpr std::int64_t kReportAt = kNow + 3600;

  // The recipient's events of `kind`.
  std::vector<EventRecord> events_of(std::int64_t campaign_id, std::size_t index,
                                     const std::string& kind) {
    const std::int64_t recipient = recipient_id(campaign_id, index);
    std::vector<EventRecord> out;
    read([&](Repositories& repos) {
      for (const auto& e : repos.events.list_events(campaign_id, recipient, {0, 500}).items) {
        if (e.kind == kind) out.push_back(e);
      }
    });
    return out;
  }

  Funnel funnel_of(std::int64_t campaign_id, std::size_t index) {
    const std::int64_t recipient = recipient_id(campaign_id, index);
    Funnel funnel;
    read([&](Repositories& repos) {
      const auto found = repos.results.recipient_funnel(recipient);
      ASSERT_TRUE(found.has_value());
      EXPECT_EQ(found->campaign_id, campaign_id);
      funnel = found->funnel;
    });
    return funnel;
  }

  std::int64_t reported_count(std::int64_t campaign_id) {
    std::int64_t count = -1;
    read([&](Repositories& repos) { count = repos.results.result_counts(campaign_id).reported; });
    return count;
  }

  // The campaign's credited reports with a time to report.
  std::int64_t timed_reports(std::int64_t campaign_id) {
    std::int64_t count = -1;
    read([&](Repositories& repos) { count = repos.reports.count_timed_reports(ws_, campaign_id); });
    return count;
  }

  std::vector<Assignment> assignments_of(std::int64_t campaign_id) {
    std::vector<Assignment> out;
    AssignmentFilter filter;
    filter.campaign_id = campaign_id;
    read([&](Repositories& repos) {
      out = repos.training.list_assignments(ws_, filter, {0, 100}).items;
    });
    return out;
  }

  // Ada's report of her own simulation of `campaign_id`.
  std::string adas_report(std::int64_t campaign_id) {
    return testing_support::attached_report("Ada Lovelace <Ada@Acme.example>",
                                            simulation_of(campaign_id, 0));
  }

  // The sealed original of a report, opened with the installation's key.
  std::string opened_original(std::int64_t report_id) {
    std::optional<std::string> sealed;
    read([&](Repositories& repos) { sealed = repos.reports.original(ws_, report_id); });
    EXPECT_TRUE(sealed.has_value()) << "report " << report_id << " has no original";
    if (!sealed) return "";
    auto opened = crypto::open(key_, *sealed);
    EXPECT_TRUE(opened.has_value());
    return opened.value_or("<unopenable>");
  }
};

TEST_P(IngestReportTest, ASimulationReportedByItsRecipientIsCreditedWithTheTimeToReport) {
  const auto c = launch(FollowUp{"spotting-red-flags", "clicked", 7});
  const auto got = ingest(adas_report(c), kReportAt);
  EXPECT_EQ(got.outcome, "simulation");
  EXPECT_EQ(got.reporter, kAda);  // the From address, lower case

  const Report r = only_report(got);
  EXPECT_EQ(r.status, ReportStatus::kSimulation);
  EXPECT_EQ(r.source, "mailbox");
  EXPECT_EQ(r.reporter, kAda);
  EXPECT_EQ(r.reporter_target_id, target_ids_[0]);
  EXPECT_EQ(r.campaign_id, c);
  EXPECT_EQ(r.recipient_id, recipient_id(c, 0));
  EXPECT_EQ(r.seconds_to_report, kReportAt - kSentAt);
  EXPECT_EQ(r.received_at, kReportAt);
  EXPECT_EQ(r.note, "matched by the tracking id in a link");
  EXPECT_EQ(r.message_id, message_id_of(c, 0));
  EXPECT_EQ(r.cluster_id, 0);  // a simulation is no triage case

  // The results show Ada reported (and Bob did nothing).
  EXPECT_EQ(funnel_of(c, 0).reported_at, kReportAt);
  EXPECT_EQ(funnel_of(c, 0).rank, 0);
  EXPECT_EQ(funnel_of(c, 1).reported_at, 0);
  EXPECT_EQ(reported_count(c), 1);
  const auto reported = events_of(c, 0, "reported");
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].at, kReportAt);
  EXPECT_FALSE(reported[0].automated);
  EXPECT_NE(reported[0].details_json.find("\"report_id\":" + std::to_string(r.id)),
            std::string::npos)
      << reported[0].details_json;
  EXPECT_TRUE(events_of(c, 1, "reported").empty());

  // It counts in the campaign's time to report.
  EXPECT_EQ(timed_reports(c), 1);
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.reports.nth_time_to_report(ws_, c, 0), kReportAt - kSentAt);
  });

  // The campaign has follow-up training, and reporting assigns none.
  read([&](Repositories& repos) { EXPECT_TRUE(repos.training.campaign_has_follow_up(c)); });
  EXPECT_TRUE(assignments_of(c).empty());
}

TEST_P(IngestReportTest, ReportingNeverWithdrawsAnAssignedFollowUp) {
  const auto c = launch(FollowUp{"spotting-red-flags", "clicked", 7});
  // Ada clicked first: the follow-up assigned her the module.
  Hit click;
  click.event.workspace_id = ws_;
  click.event.campaign_id = c;
  click.event.recipient_id = recipient_id(c, 0);
  click.event.kind = "clicked";
  click.event.at = kSentAt + 30;
  click.event.ip = "203.0.113.7";
  click.event.user_agent = "Mozilla/5.0";
  click.rank = 2;
  ASSERT_TRUE(record_hits(*store_, {&click, 1}).has_value());
  const auto before = assignments_of(c);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(before[0].status, AssignmentStatus::kAssigned);

  // Then she reported it.
  EXPECT_EQ(ingest(adas_report(c), kReportAt).outcome, "simulation");
  const auto after = assignments_of(c);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, before[0].id);
  EXPECT_EQ(after[0].status, AssignmentStatus::kAssigned);
  EXPECT_TRUE(after[0].cancel_reason.empty());
  const Funnel funnel = funnel_of(c, 0);
  EXPECT_EQ(funnel.rank, 2);  // the click still counts
  EXPECT_EQ(funnel.first_clicked_at, kSentAt + 30);
  EXPECT_EQ(funnel.reported_at, kReportAt);
}

TEST_P(IngestReportTest, AReportFromTheRecipientsAliasIsCredited) {
  const auto c = launch();
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.reporters.replace_aliases(ws_, target_ids_[0], {"ada.private@home.example"}));
  });
  const auto got = ingest(
      testing_support::attached_report("Ada <Ada.Private@Home.example>", simulation_of(c, 0)),
      kReportAt);
  EXPECT_EQ(got.outcome, "simulation");
  const Report r = only_report(got);
  EXPECT_EQ(r.reporter, "ada.private@home.example");
  EXPECT_EQ(r.reporter_target_id, target_ids_[0]);
  EXPECT_EQ(r.recipient_id, recipient_id(c, 0));
  EXPECT_EQ(r.seconds_to_report, kReportAt - kSentAt);
  EXPECT_EQ(funnel_of(c, 0).reported_at, kReportAt);
  EXPECT_EQ(events_of(c, 0, "reported").size(), 1u);
}

// Disabled: fails today. ingest_report.h promises that "a person reporting
// the same Message-ID twice (button and mailbox) is one report", but the
// store's uniqueness is per reporter *address* (reports_once: workspace,
// reporter, message_id), so Ada reporting from her address and then from
// her alias is credited twice: two reports with a time to report, two
// "reported" events. Run with --gtest_also_run_disabled_tests.
TEST_P(IngestReportTest, ThePersonReportingFromAnAliasAndTheirAddressIsOneReport) {
  const auto c = launch();
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.reporters.replace_aliases(ws_, target_ids_[0], {"ada.private@home.example"}));
  });
  EXPECT_EQ(ingest(adas_report(c), kReportAt).outcome, "simulation");
  const auto again =
      ingest(testing_support::attached_report("ada.private@home.example", simulation_of(c, 0)),
             kReportAt + 60);
  EXPECT_EQ(again.outcome, "duplicate");
  EXPECT_EQ(events_of(c, 0, "reported").size(), 1u);
  EXPECT_EQ(timed_reports(c), 1);
}

TEST_P(IngestReportTest, ASimulationReportedBySomeoneElseCreditsNobody) {
  const auto c = launch();
  // Bob (himself a recipient of the campaign) reports Ada's copy.
  const auto by_bob =
      ingest(testing_support::attached_report("Bob Marley <bob@acme.example>", simulation_of(c, 0)),
             kReportAt);
  EXPECT_EQ(by_bob.outcome, "simulation_other");
  const Report r = only_report(by_bob);
  EXPECT_EQ(r.status, ReportStatus::kSimulation);
  EXPECT_EQ(r.campaign_id, c);
  EXPECT_EQ(r.reporter_target_id, target_ids_[1]);
  EXPECT_EQ(r.recipient_id, 0);
  EXPECT_EQ(r.seconds_to_report, -1);
  EXPECT_NE(r.note.find("nobody is credited"), std::string::npos) << r.note;
  // Someone outside the organisation.
  const auto by_outsider =
      ingest(testing_support::attached_report("mallory@elsewhere.example", simulation_of(c, 0)),
             kReportAt + 5);
  EXPECT_EQ(by_outsider.outcome, "simulation_other");
  EXPECT_EQ(only_report(by_outsider).reporter_target_id, 0);
  EXPECT_EQ(only_report(by_outsider).recipient_id, 0);

  for (const std::size_t index : {0u, 1u}) {
    EXPECT_EQ(funnel_of(c, index).reported_at, 0) << index;
    EXPECT_TRUE(events_of(c, index, "reported").empty()) << index;
  }
  EXPECT_EQ(reported_count(c), 0);
}

TEST_P(IngestReportTest, ASimulationWithoutItsLinkIsMatchedByItsMessageId) {
  const auto c = launch();
  const std::string without_link =
      testing_support::simulation_message(kAda, message_id_of(c, 0), "");
  const auto got = ingest(testing_support::attached_report(kAda, without_link), kReportAt);
  EXPECT_EQ(got.outcome, "simulation");
  const Report r = only_report(got);
  EXPECT_EQ(r.note, "matched by its Message-ID");
  EXPECT_EQ(r.recipient_id, recipient_id(c, 0));
  EXPECT_EQ(r.seconds_to_report, kReportAt - kSentAt);
  EXPECT_EQ(funnel_of(c, 0).reported_at, kReportAt);

  // A Message-ID no simulation was sent with matches nothing.
  const std::string unknown =
      testing_support::simulation_message(kAda, "rid-999999-0@mail.example", "");
  EXPECT_EQ(ingest(testing_support::attached_report(kAda, unknown), kReportAt).outcome, "triage");
}

TEST_P(IngestReportTest, ALinkWrappedBySafeLinksIsUnwrappedAndMatched) {
  const auto c = launch();
  const std::string wrapped = "https://eur01.safelinks.protection.outlook.com/?url=" +
                              testing_support::percent_encoded(
                                  testing_support::tracking_link(testing_support::test_rid(c, 0))) +
                              "&amp;data=05%7C02%7Cada%40acme.example%7C0&amp;reserved=0";
  // Without a Message-ID, only the wrapped link can match it.
  const std::string message = testing_support::simulation_message(kAda, "", wrapped);
  const auto got = ingest(testing_support::attached_report(kAda, message), kReportAt);
  EXPECT_EQ(got.outcome, "simulation");
  const Report r = only_report(got);
  EXPECT_EQ(r.note, "matched by the tracking id in a link");
  EXPECT_EQ(r.recipient_id, recipient_id(c, 0));
  EXPECT_EQ(funnel_of(c, 0).reported_at, kReportAt);
}

TEST_P(IngestReportTest, AnotherWorkspacesSimulationIsNotMatched) {
  // Globex sent a campaign; its rid and Message-ID reach a report to Acme.
  std::int64_t theirs = 0;
  write([&](Repositories& repos) {
    std::vector<TargetFields> people = {person("ada@globex.example", "Ada", "G")};
    const auto ids = repos.groups.upsert_targets(other_ws_, people, kNow).target_ids;
    auto group = repos.groups.create_group(other_ws_, "Everyone", kNow);
    ASSERT_TRUE(group.has_value());
    repos.groups.add_members(group->id, ids);
    auto tmpl =
        repos.templates.create_template(other_ws_, testing_support::test_template_content());
    ASSERT_TRUE(tmpl.has_value());
    theirs = testing_support::launch_test_campaign(repos, {other_ws_, group->id, ids, people},
                                                   *tmpl, "Theirs", std::nullopt, kNow);
  });
  ASSERT_NE(theirs, 0);
  const std::string by_link = testing_support::simulation_message(
      kAda, "", testing_support::tracking_link(testing_support::test_rid(theirs, 0)));
  const std::string by_id = testing_support::simulation_message(kAda, message_id_of(theirs, 0), "");
  for (const auto& message : {by_link, by_id}) {
    const auto got = ingest(testing_support::attached_report(kAda, message), kReportAt);
    EXPECT_EQ(got.outcome, "triage");
    EXPECT_EQ(only_report(got).campaign_id, 0);
  }
}

TEST_P(IngestReportTest, TheSameMessageReportedTwiceByOnePersonIsOneReport) {
  const std::string phish = testing_support::phish_message("20261130.1@paypa1-secure.example");
  const auto first = ingest(testing_support::attached_report(kAda, phish), kReportAt);
  EXPECT_EQ(first.outcome, "triage");
  const Report r = only_report(first);
  // Again, through the report button in Ada's mailbox.
  ReportOrigin button;
  button.source = "button";
  button.reporter = "Ada@Acme.Example";
  const auto second = ingest(testing_support::attached_report("Ada <ada@acme.example>", phish),
                             kReportAt + 60, button);
  EXPECT_EQ(second.outcome, "duplicate");
  EXPECT_TRUE(second.report_ids.empty());
  EXPECT_EQ(second.reporter, kAda);
  EXPECT_EQ(all_reports().size(), 1u);
  EXPECT_EQ(cluster(r.cluster_id).report_count, 1);
  EXPECT_EQ(cluster(r.cluster_id).last_at, kReportAt);

  // A simulation reported twice is credited once.
  const auto c = launch();
  EXPECT_EQ(ingest(adas_report(c), kReportAt).outcome, "simulation");
  const auto again = ingest(adas_report(c), kReportAt + 120);
  EXPECT_EQ(again.outcome, "duplicate");
  EXPECT_TRUE(again.report_ids.empty());
  EXPECT_EQ(events_of(c, 0, "reported").size(), 1u);
  EXPECT_EQ(funnel_of(c, 0).reported_at, kReportAt);
  EXPECT_EQ(reported_count(c), 1);
  EXPECT_EQ(all_reports().size(), 2u);
}

TEST_P(IngestReportTest, ARealMessageIsJudgedClusteredAndSealed) {
  const std::string phish = testing_support::phish_message("20261130.1@paypa1-secure.example");
  const std::string raw = testing_support::attached_report(kAda, phish);
  const auto got = ingest(raw, kReportAt);
  EXPECT_EQ(got.outcome, "triage");
  const Report r = only_report(got);
  EXPECT_EQ(r.status, ReportStatus::kTriage);
  EXPECT_EQ(r.campaign_id, 0);
  EXPECT_EQ(r.recipient_id, 0);
  EXPECT_EQ(r.reporter_target_id, target_ids_[0]);
  EXPECT_EQ(r.subject, "Your account is suspended");
  EXPECT_EQ(r.from_address, "service@paypa1-secure.example");
  EXPECT_EQ(r.message_id, "20261130.1@paypa1-secure.example");
  EXPECT_GT(r.score, 0);
  EXPECT_FALSE(r.suggested_verdict.empty());
  EXPECT_TRUE(r.verdict.empty());
  EXPECT_NE(r.evidence_json.find("https://paypa1-secure.example/login"), std::string::npos)
      << r.evidence_json;

  ASSERT_GT(r.cluster_id, 0);
  const ReportCluster k = cluster(r.cluster_id);
  EXPECT_EQ(k.report_count, 1);
  EXPECT_EQ(k.score, r.score);
  EXPECT_EQ(k.first_at, kReportAt);
  EXPECT_EQ(k.from_address, "service@paypa1-secure.example");
  const auto prepared = prepare_report(raw);
  ASSERT_EQ(prepared.messages.size(), 1u);
  EXPECT_EQ(k.fingerprint, report_fingerprint(prepared.messages[0]));

  // The original is sealed (not stored in clear) and opens to exactly the
  // reported message's bytes.
  EXPECT_TRUE(r.has_raw);
  std::optional<std::string> sealed;
  read([&](Repositories& repos) { sealed = repos.reports.original(ws_, r.id); });
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sealed->find("paypa1"), std::string::npos);
  EXPECT_EQ(opened_original(r.id), phish);

  // Bob's copy (its own Message-ID, as a mass mailing sends one per person)
  // joins the same cluster.
  const auto bobs = ingest(
      testing_support::attached_report(kBob, testing_support::phish_message("20261130.2@paypa1-"
                                                                            "secure.example")),
      kReportAt + 300);
  EXPECT_EQ(bobs.outcome, "triage");
  EXPECT_EQ(only_report(bobs).cluster_id, r.cluster_id);
  EXPECT_EQ(cluster(r.cluster_id).report_count, 2);
  EXPECT_EQ(cluster(r.cluster_id).last_at, kReportAt + 300);
}

TEST_P(IngestReportTest, AReportOfADecidedClusterInheritsTheVerdict) {
  const auto first =
      ingest(testing_support::attached_report(
                 kAda, testing_support::phish_message("20261130.1@paypa1-secure.example")),
             kReportAt);
  const Report r = only_report(first);
  VerdictRequest threat{"threat", "blocked at the gateway"};
  ASSERT_TRUE(decide_cluster(*store_, caller(), kReportAt + 100, r.cluster_id, threat));

  const auto later =
      ingest(testing_support::attached_report(
                 kBob, testing_support::phish_message("20261130.2@paypa1-secure.example")),
             kReportAt + 200);
  EXPECT_EQ(later.outcome, "triage");
  const Report inherited = only_report(later);
  EXPECT_EQ(inherited.cluster_id, r.cluster_id);
  EXPECT_EQ(inherited.verdict, "threat");
  EXPECT_EQ(inherited.verdict_note, "blocked at the gateway");
  EXPECT_EQ(inherited.verdict_by, 7);
  EXPECT_EQ(inherited.verdict_at, kReportAt + 100);

  // A message of another cluster carries no verdict.
  const auto other = ingest(
      testing_support::attached_report(
          kBob, testing_support::phish_message("x.1@other.example", "billing@other.example",
                                               "Invoice overdue", "https://other.example/pay")),
      kReportAt + 300);
  EXPECT_NE(only_report(other).cluster_id, r.cluster_id);
  EXPECT_TRUE(only_report(other).verdict.empty());
}

TEST_P(IngestReportTest, AReportWithNothingReadableIsRefused) {
  // Only an Outlook .msg attached: recognised, not read.
  const std::string msg_only = testing_support::crlf(
      "From: Ada <ada@acme.example>\nSubject: report\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n"
      "attached\n--b\nContent-Type: application/vnd.ms-outlook; name=\"report.msg\"\n"
      "Content-Disposition: attachment; filename=\"report.msg\"\n"
      "Content-Transfer-Encoding: base64\n\n0M8R4KGxGuEAAAAAAAAAAAAAAAAAAAAA\n--b--\n");
  const auto got = ingest(msg_only, kReportAt);
  EXPECT_EQ(got.outcome, "refused");
  const Report r = only_report(got);
  EXPECT_EQ(r.status, ReportStatus::kRefused);
  EXPECT_EQ(r.note.rfind("no reported message", 0), 0u) << r.note;
  EXPECT_NE(r.note.find("report.msg"), std::string::npos) << r.note;
  EXPECT_EQ(r.reporter, kAda);
  EXPECT_EQ(r.reporter_target_id, target_ids_[0]);
  EXPECT_EQ(r.cluster_id, 0);
  EXPECT_EQ(opened_original(r.id), msg_only);  // kept for a person to look at

  // Not a message at all.
  const auto empty = ingest("", kReportAt + 1);
  EXPECT_EQ(empty.outcome, "refused");
  const Report e = only_report(empty);
  EXPECT_EQ(e.status, ReportStatus::kRefused);
  EXPECT_EQ(e.note.rfind("no reported message", 0), 0u) << e.note;
  EXPECT_TRUE(e.reporter.empty());
  EXPECT_FALSE(e.has_raw);
}

TEST_P(IngestReportTest, AFinishedCampaignsSimulationCreditsNobody) {
  const auto c = launch();
  complete(c, kReportAt - 10);
  const auto got = ingest(adas_report(c), kReportAt);
  EXPECT_EQ(got.outcome, "simulation_ended");
  const Report r = only_report(got);
  EXPECT_EQ(r.status, ReportStatus::kSimulation);
  EXPECT_EQ(r.campaign_id, c);
  // Nor does the report look credited: it has no recipient and no time to
  // report, so the campaign's time to report leaves it out.
  EXPECT_EQ(r.reporter_target_id, target_ids_[0]);
  EXPECT_EQ(r.recipient_id, 0);
  EXPECT_EQ(r.seconds_to_report, -1);
  EXPECT_NE(r.note.find("its campaign is over"), std::string::npos) << r.note;
  EXPECT_EQ(timed_reports(c), 0);
  EXPECT_TRUE(events_of(c, 0, "reported").empty());
  EXPECT_EQ(funnel_of(c, 0).reported_at, 0);
  EXPECT_EQ(reported_count(c), 0);
}

TEST_P(IngestReportTest, TheButtonNamesTheReporterAndEachAttachedMessageIsAReport) {
  const auto c = launch();
  // The add-in runs in Ada's mailbox; the report it sends says it is from
  // the add-in's own address, and carries her simulation and a real phish.
  const std::string two = testing_support::crlf(
                              "From: report-button@acme.example\nSubject: reported\n"
                              "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"two\"\n"
                              "\n--two\nContent-Type: message/rfc822\n\n") +
                          simulation_of(c, 0) +
                          testing_support::crlf("\n--two\nContent-Type: message/rfc822\n\n") +
                          testing_support::phish_message("20261130.1@paypa1-secure.example") +
                          testing_support::crlf("\n--two--\n");
  ReportOrigin button;
  button.source = "button";
  button.reporter = kAda;
  const auto got = ingest(two, kReportAt, button);
  EXPECT_EQ(got.outcome, "simulation");  // of the first message
  ASSERT_EQ(got.report_ids.size(), 2u);
  const Report sim = report(got.report_ids[0]);
  const Report real = report(got.report_ids[1]);
  EXPECT_EQ(sim.source, "button");
  EXPECT_EQ(sim.reporter, kAda);
  EXPECT_EQ(sim.recipient_id, recipient_id(c, 0));
  EXPECT_EQ(real.status, ReportStatus::kTriage);
  EXPECT_EQ(real.reporter, kAda);
  const auto reported = events_of(c, 0, "reported");
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_NE(reported[0].details_json.find("\"source\":\"button\""), std::string::npos);
}

TEST_P(IngestReportTest, RecordReportIsPartOfTheCallersTransaction) {
  const auto c = launch();
  const PreparedReport prepared = prepare_report(adas_report(c));
  ASSERT_EQ(prepared.reporter, kAda);
  ASSERT_EQ(prepared.messages.size(), 1u);
  // The caller's transaction fails after recording (say, marking the
  // mailbox message done failed): nothing of the report remains.
  const auto failed = store_->write([&](Repositories& repos) -> Result<void> {
    const auto recorded = record_report(repos, key_, ws_, prepared, {}, "rid", kReportAt);
    EXPECT_TRUE(recorded.has_value());
    EXPECT_EQ(recorded.value_or(IngestedReport{}).outcome, "simulation");
    return fail(ErrorCode::kInternal, "the caller failed");
  });
  ASSERT_FALSE(failed.has_value());
  EXPECT_TRUE(all_reports().empty());
  EXPECT_TRUE(events_of(c, 0, "reported").empty());
  EXPECT_EQ(funnel_of(c, 0).reported_at, 0);
  // Taken in again, it is new (not a duplicate of the rolled-back one).
  const auto write_ok = store_->write([&](Repositories& repos) -> Result<void> {
    const auto recorded = record_report(repos, key_, ws_, prepared, {}, "rid", kReportAt);
    EXPECT_EQ(recorded.value_or(IngestedReport{}).outcome, "simulation");
    return {};
  });
  ASSERT_TRUE(write_ok.has_value()) << write_ok.error().message;
  EXPECT_EQ(all_reports().size(), 1u);
  EXPECT_EQ(funnel_of(c, 0).reported_at, kReportAt);
}

INSTANTIATE_TEST_SUITE_P(Backends, IngestReportTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
