// Feedback to reporters and forwarded button reports
// (service/reporting/report_feedback.h, send_report_mail.h) on every store
// backend: what a report or a verdict queues, who is never answered, what
// the emails say, and how the queue records them.
#include "service/reporting/report_feedback.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/mail_transports.h"
#include "service/reporting/reporting_fixture.h"
#include "service/reporting/send_report_mail.h"
#include "service/reporting/triage.h"
#include "service/send_rate.h"
#include "support/fakes.h"

namespace phishdrill::service {
namespace {

using Kind = DeliveryVerdict::Kind;
using testing_support::attached_report;
using testing_support::crlf;
using testing_support::phish_message;

struct Sent {
  std::string to;
  std::string mime;
};

class RecordingTransport final : public MailTransport {
 public:
  explicit RecordingTransport(std::vector<Sent>& sent) : sent_(sent) {}
  SendOutcome send(std::string_view, std::string_view to, std::string_view,
                   std::string_view mime) override {
    sent_.push_back({std::string(to), std::string(mime)});
    return {SendOutcome::Status::kSent, 250, "ok"};
  }

 private:
  std::vector<Sent>& sent_;
};

class StillLease final : public Lease {
 public:
  void renew() override {}
  void keep_alive() override {}
  bool stopping() const override { return false; }
};

// The text of a composed message with quoted-printable soft line breaks undone.
std::string readable(const std::string& mime) {
  std::string out;
  for (std::size_t i = 0; i < mime.size(); ++i) {
    if (mime.compare(i, 3, "=\r\n") == 0) {
      i += 2;
      continue;
    }
    out.push_back(mime[i]);
  }
  return out;
}

class ReportFeedbackTest : public testing_support::ReportingFixture {
 protected:
  static constexpr std::int64_t kReportAt = kNow + 3600;
  static constexpr std::int64_t kSendAt = kReportAt + 600;

  void SetUp() override {
    ReportingFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    write([&](Repositories& repos) {
      SendingProfile p;
      p.name = "Security";
      p.kind = TransportKind::kOutbox;
      p.from = "Security Team <security@acme.example>";
      p.created_at = p.updated_at = kNow;
      profile_id_ = repos.profiles.create_profile(ws_, p, "").value().id;
    });
    rate_.emplace(*store_);
    transports_.emplace(factory_, *rate_);
  }

  // Feedback on (or off) through the profile; `forward_to` as given.
  void configure(bool enabled, const std::string& forward_to = "") {
    auto settings = default_report_feedback();
    settings.enabled = enabled;
    settings.profile_id = profile_id_;
    settings.forward_to = forward_to;
    const auto saved =
        update_report_feedback_settings(*store_, caller(Role::kAdmin), settings, kNow);
    ASSERT_TRUE(saved.has_value()) << saved.error().message;
  }

  SendReportMail use_case() {
    return SendReportMail(
        *store_, clock_, key_, *transports_,
        {.lease_seconds = 60, .retry = {.base_delay_seconds = 30, .max_attempts = 5}});
  }

  // Claims every email due by `at` (after every decision the tests make),
  // sends and records each; the verdicts in order.
  std::vector<DeliveryVerdict> send_all(std::int64_t at = kSendAt) {
    clock_.set(at);
    auto uc = use_case();
    auto claimed = uc.claim(100);
    EXPECT_TRUE(claimed.has_value());
    std::vector<DeliveryVerdict> out;
    for (const auto& mail : claimed.value_or(std::vector<ClaimedReportMail>{})) {
      StillLease lease;
      out.push_back(uc.send(mail, lease));
      EXPECT_TRUE(uc.record(mail, out.back()).has_value());
    }
    return out;
  }

  std::vector<ReportMailState> emails_of(std::int64_t report_id) {
    auto got = report_feedback_of(*store_, ws_, report_id);
    EXPECT_TRUE(got.has_value());
    return got.value_or(std::vector<ReportMailState>{});
  }

  Report phish_reported_by(const std::string& reporter, const std::string& message_id,
                           const ReportOrigin& origin = {}) {
    const std::string raw = origin.source == "button"
                                ? phish_message(message_id)
                                : attached_report(reporter, phish_message(message_id));
    return only_report(ingest(raw, kReportAt, origin));
  }

  static ReportOrigin button_of(const std::string& reporter) {
    ReportOrigin origin;
    origin.source = "button";
    origin.reporter = reporter;
    return origin;
  }

  std::int64_t profile_id_ = 0;
  testing_support::FakeClock clock_{kReportAt};
  std::vector<Sent> sent_;
  TransportFactory factory_ = [this](const SendingProfile&, const std::string&) {
    return std::make_unique<RecordingTransport>(sent_);
  };
  std::optional<SendRate> rate_;
  std::optional<MailTransports> transports_;
};

TEST_P(ReportFeedbackTest, SettingsStartOffWithTheShippedTextsAndOnlyAdminsChangeThem) {
  const auto first = report_feedback_settings(*store_, caller(Role::kOperator));
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->enabled);
  EXPECT_EQ(first->profile_id, 0);
  EXPECT_EQ(first->received.subject, default_report_feedback().received.subject);

  auto wanted = *first;
  wanted.enabled = true;
  wanted.profile_id = profile_id_;
  wanted.clean.body = "All good, {{.FirstName}}. <b>Thanks</b> for {{ .Subject }}.";
  const auto refused =
      update_report_feedback_settings(*store_, caller(Role::kOperator), wanted, kNow);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);

  const auto saved = update_report_feedback_settings(*store_, caller(Role::kAdmin), wanted, kNow);
  ASSERT_TRUE(saved.has_value()) << saved.error().message;
  EXPECT_FALSE(report_feedback_settings(*store_, caller(Role::kViewer)).has_value());
  const auto again = report_feedback_settings(*store_, caller(Role::kOperator));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->enabled);
  EXPECT_EQ(again->profile_id, profile_id_);
  EXPECT_EQ(again->clean.body, wanted.clean.body);
  EXPECT_EQ(again->threat.body, default_report_feedback().threat.body);
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"report_feedback.update"});
}

TEST_P(ReportFeedbackTest, SettingsRefuseAnUnknownProfilePlaceholderOrAddress) {
  auto settings = default_report_feedback();
  settings.enabled = true;
  const auto no_profile =
      update_report_feedback_settings(*store_, caller(Role::kAdmin), settings, kNow);
  ASSERT_FALSE(no_profile.has_value());
  EXPECT_EQ(no_profile.error().field, "profile_id");

  std::int64_t globex_profile = 0;
  write([&](Repositories& repos) {
    SendingProfile p;
    p.name = "Globex";
    p.kind = TransportKind::kOutbox;
    p.from = "it@globex.example";
    p.created_at = p.updated_at = kNow;
    globex_profile = repos.profiles.create_profile(other_ws_, p, "").value().id;
  });
  settings.profile_id = globex_profile;
  const auto other = update_report_feedback_settings(*store_, caller(Role::kAdmin), settings, kNow);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().field, "profile_id");
  EXPECT_EQ(other.error().message, "no such sending profile");

  settings.profile_id = profile_id_;
  auto bad_text = settings;
  bad_text.received.body = "Hello {{.Password}}";
  const auto placeholder =
      update_report_feedback_settings(*store_, caller(Role::kAdmin), bad_text, kNow);
  ASSERT_FALSE(placeholder.has_value());
  EXPECT_EQ(placeholder.error().field, "texts.received.body");

  auto bad_address = settings;
  bad_address.forward_to = "Reports <phishing@acme.example>";
  const auto named =
      update_report_feedback_settings(*store_, caller(Role::kAdmin), bad_address, kNow);
  ASSERT_FALSE(named.has_value());
  EXPECT_EQ(named.error().field, "forward_to");
  EXPECT_TRUE(audit_actions().empty());
}

TEST_P(ReportFeedbackTest, AReportedSimulationIsAnsweredWellSpottedAtTheAddressOnFile) {
  configure(true);
  const std::int64_t campaign = launch();
  // Reported from an alias-like spelling of her address: answered at the one on file.
  const auto got = ingest(
      attached_report("Ada Lovelace <ADA@acme.example>", simulation_of(campaign, 0)), kReportAt);
  ASSERT_EQ(got.outcome, "simulation");
  const auto verdicts = send_all();
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].kind, Kind::kSent) << verdicts[0].detail;
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].to, kAda);
  const std::string mime = readable(sent_[0].mime);
  EXPECT_NE(mime.find("Subject: Well spotted: that was a practice phishing email"),
            std::string::npos);
  EXPECT_NE(mime.find("Hello Ada,"), std::string::npos);
  EXPECT_NE(mime.find("Action required: your mailbox is almost full"), std::string::npos);
  EXPECT_NE(mime.find("Auto-Submitted: auto-replied"), std::string::npos);
  EXPECT_NE(mime.find("X-Auto-Response-Suppress: All"), std::string::npos);
  EXPECT_NE(mime.find("From: Security Team <security@acme.example>"), std::string::npos);

  const auto emails = emails_of(got.report_ids.front());
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].kind, "acknowledge");
  EXPECT_EQ(emails[0].state, "sent");
  EXPECT_EQ(emails[0].sent_at, kSendAt);
  EXPECT_TRUE(send_all().empty());  // sent once
}

TEST_P(ReportFeedbackTest, StrangersAndMachinesAreNeverAnswered) {
  configure(true);
  const Report ada = phish_reported_by("Ada <ada@acme.example>", "m1@paypa1-secure.example");
  const Report stranger =
      phish_reported_by("Someone <someone@elsewhere.example>", "m1@paypa1-secure.example");
  std::string automatic =
      attached_report("bob@acme.example", phish_message("m1@paypa1-secure.example"));
  automatic.insert(0, "Auto-Submitted: auto-replied\r\n");
  const Report machine = only_report(ingest(automatic, kReportAt));
  EXPECT_EQ(machine.reporter, kBob);

  EXPECT_EQ(emails_of(ada.id).size(), 1u);
  EXPECT_TRUE(emails_of(stranger.id).empty());
  EXPECT_TRUE(emails_of(machine.id).empty());
  send_all();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].to, kAda);
  EXPECT_NE(
      readable(sent_[0].mime).find("Subject: Thank you for your report: we are looking at it"),
      std::string::npos);

  // Nor when the verdict comes: only Ada hears it.
  ASSERT_TRUE(decide_cluster(*store_, caller(), kReportAt + 60, ada.cluster_id, {"threat", ""}));
  send_all();
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].to, kAda);
}

TEST_P(ReportFeedbackTest, EveryReporterOfAClusterHearsTheVerdictOnceAndAgainOnlyWhenItChanges) {
  configure(true);
  const Report ada = phish_reported_by("ada@acme.example", "m2@paypa1-secure.example");
  const Report bob = phish_reported_by("bob@acme.example", "m2@paypa1-secure.example");
  ASSERT_EQ(ada.cluster_id, bob.cluster_id);
  send_all();  // the two acknowledgements
  ASSERT_EQ(sent_.size(), 2u);

  ASSERT_TRUE(decide_cluster(*store_, caller(), kReportAt + 60, ada.cluster_id, {"spam", "x"}));
  send_all();
  ASSERT_EQ(sent_.size(), 4u);
  EXPECT_NE(readable(sent_[2].mime).find("is unwanted mail"), std::string::npos);
  EXPECT_NE(readable(sent_[3].mime).find("is unwanted mail"), std::string::npos);

  ASSERT_TRUE(decide_cluster(*store_, caller(), kReportAt + 90, ada.cluster_id, {"spam", "y"}));
  EXPECT_TRUE(send_all().empty());

  ASSERT_TRUE(decide_report(*store_, caller(), kReportAt + 120, bob.id, {"threat", ""}));
  send_all();
  ASSERT_EQ(sent_.size(), 5u);
  EXPECT_EQ(sent_[4].to, kBob);
  const std::string threat = readable(sent_[4].mime);
  EXPECT_NE(threat.find("Subject: Your report: \"Your account is suspended\" was a real attack"),
            std::string::npos);
  EXPECT_NE(threat.find("Auto-Submitted: auto-generated"), std::string::npos);
  const auto emails = emails_of(bob.id);
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_EQ(emails[1].kind, "verdict");
  EXPECT_EQ(emails[1].sent_verdict, "threat");
}

TEST_P(ReportFeedbackTest, AVerdictChangedWhileItsEmailWasSendingIsToldToo) {
  configure(true);
  const Report ada = phish_reported_by("ada@acme.example", "m3@paypa1-secure.example");
  send_all();
  ASSERT_TRUE(decide_report(*store_, caller(), kReportAt + 60, ada.id, {"spam", ""}));
  clock_.set(kSendAt);
  auto uc = use_case();
  auto claimed = uc.claim(10);
  ASSERT_TRUE(claimed.has_value());
  ASSERT_EQ(claimed->size(), 1u);
  // The operator changes their mind while the spam email is on its way.
  ASSERT_TRUE(decide_report(*store_, caller(), kReportAt + 61, ada.id, {"threat", ""}));
  StillLease lease;
  const auto verdict = uc.send(claimed->front(), lease);
  ASSERT_TRUE(uc.record(claimed->front(), verdict).has_value());
  send_all();
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_NE(readable(sent_[1].mime).find("unwanted mail"), std::string::npos);
  EXPECT_NE(readable(sent_[2].mime).find("was a real attack"), std::string::npos);
}

TEST_P(ReportFeedbackTest, AReportOfADecidedMessageGetsTheVerdictInsteadOfTheAcknowledgement) {
  configure(true);
  const Report ada = phish_reported_by("ada@acme.example", "m4@paypa1-secure.example");
  ASSERT_TRUE(decide_cluster(*store_, caller(), kReportAt + 60, ada.cluster_id, {"clean", ""}));
  const Report bob = phish_reported_by("bob@acme.example", "m4@paypa1-secure.example");
  const auto emails = emails_of(bob.id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].kind, "verdict");
  // Ada's acknowledgement was overtaken by the verdict: she hears only that.
  const auto verdicts = send_all();
  ASSERT_EQ(verdicts.size(), 3u);
  EXPECT_EQ(verdicts[0].kind, Kind::kCancelled);
  EXPECT_EQ(verdicts[0].detail, "the verdict was decided first and is sent instead");
  ASSERT_EQ(sent_.size(), 2u);
  for (const auto& s : sent_) EXPECT_NE(readable(s.mime).find("is safe"), std::string::npos);
}

TEST_P(ReportFeedbackTest, NothingIsQueuedWhileOffAndWhatWasQueuedIsCancelledWithTheReason) {
  const Report early = phish_reported_by("ada@acme.example", "m5@paypa1-secure.example");
  EXPECT_TRUE(emails_of(early.id).empty());

  configure(true);
  const Report queued = phish_reported_by("bob@acme.example", "m6@paypa1-secure.example");
  configure(false);
  const auto verdicts = send_all();
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].kind, Kind::kCancelled);
  EXPECT_TRUE(sent_.empty());
  const auto emails = emails_of(queued.id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].state, "cancelled");
  EXPECT_EQ(emails[0].last_error, "feedback to reporters is switched off");
}

TEST_P(ReportFeedbackTest, AReportWithNothingReadableSaysHowToReportInstead) {
  configure(true);
  const std::string msg_only = crlf(
      "From: ada@acme.example\nTo: phishing@acme.example\nSubject: FW: look\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n"
      "Content-Type: text/plain\n\nSee attached.\n--b\nContent-Type: application/vnd.ms-outlook\n"
      "Content-Disposition: attachment; filename=\"phish.msg\"\nContent-Transfer-Encoding: "
      "base64\n\n0M8R4KGxGuEAAAAAAAAAAAAAAAAAAAAAPgADAP7/CQAGAAAAAAAAAAAAAAAB\n--b--\n");
  const auto got = ingest(msg_only, kReportAt);
  ASSERT_EQ(got.outcome, "refused");
  send_all();
  ASSERT_EQ(sent_.size(), 1u);
  const std::string mime = readable(sent_[0].mime);
  EXPECT_NE(mime.find("We could not find the suspicious message in what you sent"),
            std::string::npos);
  EXPECT_NE(mime.find("Forward as attachment"), std::string::npos);
}

TEST_P(ReportFeedbackTest, TheButtonAnswersOnScreenSoOnlyTheVerdictIsMailedAndRealMailIsForwarded) {
  configure(true, "phishing@acme.example");
  const std::int64_t campaign = launch();
  const auto simulation = ingest(simulation_of(campaign, 1), kReportAt, button_of(kBob));
  ASSERT_EQ(simulation.outcome, "simulation");
  EXPECT_TRUE(emails_of(simulation.report_ids.front()).empty());  // not forwarded either

  const Report ada = phish_reported_by("", "m7@paypa1-secure.example", button_of(kAda));
  const auto emails = emails_of(ada.id);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].kind, "forward");
  send_all();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].to, "phishing@acme.example");
  const std::string& forward = sent_[0].mime;
  EXPECT_NE(forward.find("Subject: Reported by ada@acme.example: Your account is suspended"),
            std::string::npos);
  EXPECT_NE(forward.find("Content-Type: message/rfc822"), std::string::npos);
  EXPECT_NE(forward.find("Message-ID: <m7@paypa1-secure.example>"), std::string::npos);
  EXPECT_NE(forward.find("Authentication-Results: mx.acme.example; spf=fail"), std::string::npos);

  // The forward lands in the reporting mailbox: recognised, not a second report.
  const auto before = all_reports().size();
  const auto polled = ingest(forward, kReportAt + 30);
  EXPECT_EQ(polled.outcome, "forwarded");
  EXPECT_TRUE(polled.report_ids.empty());
  EXPECT_EQ(all_reports().size(), before);

  ASSERT_TRUE(decide_report(*store_, caller(), kReportAt + 60, ada.id, {"threat", ""}));
  send_all();
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].to, kAda);
}

TEST_P(ReportFeedbackTest, AForwardWaitsForNothingButIsCancelledWhenItsOriginalIsGone) {
  configure(false, "phishing@acme.example");
  const Report ada = phish_reported_by("", "m8@paypa1-secure.example", button_of(kAda));
  ASSERT_EQ(emails_of(ada.id).size(), 1u);  // forwarding does not need feedback on
  ASSERT_TRUE(drop_expired_originals(*store_, kReportAt + 40 * 86400, 30).has_value());
  const auto verdicts = send_all();
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].kind, Kind::kCancelled);
  EXPECT_EQ(verdicts[0].detail, "the original is no longer kept");
  EXPECT_TRUE(sent_.empty());
}

TEST_P(ReportFeedbackTest, DeletingTheProfileSwitchesFeedbackOffInsteadOfFailingEveryEmail) {
  configure(true);
  const Report ada = phish_reported_by("ada@acme.example", "m9@paypa1-secure.example");
  write([&](Repositories& repos) { ASSERT_TRUE(repos.profiles.delete_profile(ws_, profile_id_)); });
  const auto settings = report_feedback_settings(*store_, caller());
  ASSERT_TRUE(settings.has_value());
  EXPECT_FALSE(settings->enabled);
  EXPECT_EQ(settings->profile_id, 0);
  // A text can still be changed without choosing a profile again.
  auto wanted = *settings;
  wanted.clean.subject = "Safe: {{.Subject}}";
  EXPECT_TRUE(update_report_feedback_settings(*store_, caller(Role::kAdmin), wanted, kNow));
  const auto verdicts = send_all();
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].kind, Kind::kCancelled);
  EXPECT_EQ(emails_of(ada.id).at(0).last_error, "feedback to reporters is switched off");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportFeedbackTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
