// ReportingFixture: the reporting use cases' tests (service/reporting/) on
// every store backend (SQLite; PostgreSQL when PHISHDRILL_TEST_PG_URL is
// set): a WorkspaceFixture whose Acme has two people (Ada and Bob) in the
// group "Everyone" and the template "Payroll", campaigns launched to them
// (support/test_campaign.h) and marked sent, and reports built as mail
// clients send them: a short note with the reported message attached as
// message/rfc822, its bytes kept exactly. Suites derive from it and
// instantiate with INSTANTIATE_TEST_SUITE_P(Backends, Suite,
// ::testing::ValuesIn(store_backends()), backend_name).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/reporting/ingest_report.h"
#include "store/store.h"
#include "support/store_backends.h"
#include "support/test_campaign.h"
#include "support/workspace_fixture.h"

namespace phishdrill::testing_support {

// The LF line ends of a test literal as the CRLF of real mail.
inline std::string crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

// `text` percent-encoded as a query value (what Safe Links does to the URL it wraps).
inline std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

// The tracking link of a simulation as its message carries it.
inline std::string tracking_link(const std::string& rid) {
  return "https://phish.example/?rid=" + rid;
}

// A delivered simulation as the recipient's mailbox keeps it: an HTML body
// with `href` as its one link (none when ""), and `message_id` ("" = none).
inline std::string simulation_message(const std::string& to, const std::string& message_id,
                                      const std::string& href) {
  const std::string body =
      href.empty() ? "<p>Your mailbox is almost full.</p>"
                   : "<p>Your mailbox is almost full. <a href=\"" + href + "\">Fix it now</a></p>";
  return crlf("From: IT Service Desk <servicedesk@it-helpdesk.example.com>\nTo: " + to +
              "\nSubject: Action required: your mailbox is almost full\n"
              "Date: Tue, 01 Dec 2026 00:01:00 +0000\n" +
              (message_id.empty() ? std::string() : "Message-ID: <" + message_id + ">\n") +
              "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + body + "\n");
}

// A real phishing message: a sender failing DMARC, a Reply-To elsewhere, a
// link whose text names another site, urgency and a password.
inline std::string phish_message(const std::string& message_id,
                                 const std::string& from = "service@paypa1-secure.example",
                                 const std::string& subject = "Your account is suspended",
                                 const std::string& link = "https://paypa1-secure.example/login") {
  return crlf(
      "Return-Path: <bounce@paypa1-secure.example>\n"
      "Authentication-Results: mx.acme.example; spf=fail smtp.mailfrom=paypa1-secure.example; "
      "dkim=none; dmarc=fail header.from=paypa1-secure.example\n"
      "From: PayPal Security <" +
      from + ">\nReply-To: support@paypa1-help.example\nTo: ada@acme.example\nSubject: " + subject +
      "\nDate: Mon, 30 Nov 2026 09:00:00 +0000\nMessage-ID: <" + message_id +
      ">\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
      "<p>Urgent: verify your password within 24 hours or your account will be closed.</p>\n"
      "<p><a href=\"" +
      link + "\">https://www.paypal.com/signin</a></p>\n");
}

// A report from `reporter` (a From value) with `attached` as its message/rfc822 part.
inline std::string attached_report(const std::string& reporter, const std::string& attached) {
  return crlf("From: " + reporter +
              "\nTo: phishing@acme.example\nSubject: FW: suspicious\n"
              "Date: Tue, 01 Dec 2026 01:00:00 +0000\nMIME-Version: 1.0\n"
              "Content-Type: multipart/mixed; boundary=\"report-b\"\n\n"
              "--report-b\nContent-Type: text/plain; charset=utf-8\n\n"
              "This looks like phishing.\n--report-b\nContent-Type: message/rfc822\n"
              "Content-Disposition: attachment\n\n") +
         attached + crlf("\n--report-b--\n");
}

class ReportingFixture : public WorkspaceFixture,
                         public ::testing::WithParamInterface<StoreBackend> {
 protected:
  static constexpr std::int64_t kSentAt = kNow + 60;
  static constexpr const char* kAda = "ada@acme.example";
  static constexpr const char* kBob = "bob@acme.example";

  StoreBackend backend() const override { return GetParam(); }

  void SetUp() override {
    // Before WorkspaceFixture::SetUp, which goes on to write after a skip.
    if (const auto why = backend().unavailable(); !why.empty()) GTEST_SKIP() << why;
    WorkspaceFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    write([&](Repositories& repos) {
      people_ = {person(kAda, "Ada", "Lovelace"), person(kBob, "Bob", "Marley")};
      target_ids_ = repos.groups.upsert_targets(ws_, people_, kNow).target_ids;
      ASSERT_EQ(target_ids_.size(), 2u);
      auto group = repos.groups.create_group(ws_, "Everyone", kNow);
      ASSERT_TRUE(group.has_value()) << group.error().message;
      group_id_ = group->id;
      repos.groups.add_members(group_id_, target_ids_);
      auto created = repos.templates.create_template(ws_, test_template_content());
      ASSERT_TRUE(created.has_value()) << created.error().message;
      template_ = *created;
    });
  }

  static TargetFields person(const std::string& email, const std::string& first,
                             const std::string& last) {
    TargetFields t;
    t.email = email;
    t.first_name = first;
    t.last_name = last;
    return t;
  }

  // An active campaign to Ada (index 0) and Bob (index 1), both sent at kSentAt.
  std::int64_t launch(const std::optional<FollowUp>& follow_up = std::nullopt) {
    std::int64_t id = 0;
    const TestAudience audience{ws_, group_id_, target_ids_, people_};
    write([&](Repositories& repos) {
      id = launch_test_campaign(repos, audience, template_,
                                "Campaign " + std::to_string(++campaigns_), follow_up, kNow);
      ASSERT_NE(id, 0);
      for (std::size_t i = 0; i < target_ids_.size(); ++i) {
        const auto info = repos.events.find_rid(test_rid(id, i));
        ASSERT_TRUE(info.has_value());
        repos.send_queue.mark_sent(info->recipient_id, kSentAt);
      }
    });
    return id;
  }

  // The campaign is over (completed), as finishing it leaves it.
  void complete(std::int64_t campaign_id, std::int64_t at) {
    write([&](Repositories& repos) {
      auto campaign = repos.campaigns.find_campaign(ws_, campaign_id);
      ASSERT_TRUE(campaign.has_value());
      campaign->status = CampaignStatus::kCompleted;
      campaign->completed_at = at;
      campaign->updated_at = at;
      ASSERT_TRUE(repos.campaigns.set_campaign_state(*campaign, CampaignStatus::kActive));
    });
  }

  static std::string message_id_of(std::int64_t campaign_id, std::size_t index) {
    return test_rid(campaign_id, index) + "@mail.example";
  }

  // The simulation as recipient `index` of the campaign received it.
  std::string simulation_of(std::int64_t campaign_id, std::size_t index) const {
    return simulation_message(people_[index].email, message_id_of(campaign_id, index),
                              tracking_link(test_rid(campaign_id, index)));
  }

  std::int64_t recipient_id(std::int64_t campaign_id, std::size_t index) {
    std::int64_t id = 0;
    read([&](Repositories& repos) {
      const auto info = repos.events.find_rid(test_rid(campaign_id, index));
      ASSERT_TRUE(info.has_value());
      id = info->recipient_id;
    });
    return id;
  }

  // ingest_report as the reporting mailbox calls it; fails the test when it fails.
  service::IngestedReport ingest(const std::string& raw, std::int64_t at,
                                 const service::ReportOrigin& origin = {},
                                 std::int64_t workspace_id = 0) {
    auto ingested = service::ingest_report(*store_, key_, workspace_id == 0 ? ws_ : workspace_id,
                                           raw, origin, "rid", at);
    EXPECT_TRUE(ingested.has_value()) << ingested.error().message;
    return ingested.value_or(service::IngestedReport{});
  }

  // The one report an ingestion made.
  Report only_report(const service::IngestedReport& ingested, std::int64_t workspace_id = 0) {
    EXPECT_EQ(ingested.report_ids.size(), 1u) << ingested.outcome;
    if (ingested.report_ids.empty()) return Report{};
    return report(ingested.report_ids.front(), workspace_id);
  }

  Report report(std::int64_t id, std::int64_t workspace_id = 0) {
    std::optional<Report> found;
    read([&](Repositories& repos) {
      found = repos.reports.find_report(workspace_id == 0 ? ws_ : workspace_id, id);
    });
    EXPECT_TRUE(found.has_value()) << "report " << id;
    return found.value_or(Report{});
  }

  ReportCluster cluster(std::int64_t id, std::int64_t workspace_id = 0) {
    std::optional<ReportCluster> found;
    read([&](Repositories& repos) {
      found = repos.reports.find_cluster(workspace_id == 0 ? ws_ : workspace_id, id);
    });
    EXPECT_TRUE(found.has_value()) << "cluster " << id;
    return found.value_or(ReportCluster{});
  }

  std::vector<Report> all_reports(std::int64_t workspace_id = 0) {
    std::vector<Report> out;
    read([&](Repositories& repos) {
      out = repos.reports.list_reports(workspace_id == 0 ? ws_ : workspace_id, {}, {0, 500}).items;
    });
    return out;
  }

  std::vector<TargetFields> people_;
  std::vector<std::int64_t> target_ids_;
  std::int64_t group_id_ = 0;
  EmailTemplate template_;
  int campaigns_ = 0;
};

}  // namespace phishdrill::testing_support
