// What reporters hear back (core/report_feedback.h): the shipped texts pass
// their own rules, only the four placeholders are allowed and filled, and
// every field is checked with the field it names.
#include "core/report_feedback.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

constexpr std::int64_t kTuesday = 1796083200 + 3600;  // 2026-12-01 01:00 UTC

ReportFeedbackSettings valid() {
  auto s = default_report_feedback();
  s.enabled = true;
  s.profile_id = 4;
  return s;
}

TEST(ReportFeedback, ShippedTextsAreValidAndStartSwitchedOff) {
  auto s = default_report_feedback();
  EXPECT_FALSE(s.enabled);
  EXPECT_TRUE(s.forward_to.empty());
  EXPECT_TRUE(validate_report_feedback(s).has_value());
  for (const auto kind : {FeedbackKind::kSimulation, FeedbackKind::kReceived, FeedbackKind::kClean,
                          FeedbackKind::kSpam, FeedbackKind::kThreat}) {
    EXPECT_NE(s.text(kind).body.find("{{.FirstName}}"), std::string::npos);
  }
}

TEST(ReportFeedback, OnlyTheFourPlaceholdersAreAllowed) {
  for (const std::string bad : {"{{.Password}}", "{{ .FirstName | upper }}", "{{.FirstName",
                                "{{template \"x\"}}", "{{}}", "{{ FirstName }}"}) {
    auto s = valid();
    s.spam.body = "Hello " + bad;
    const auto checked = validate_report_feedback(s);
    ASSERT_FALSE(checked.has_value()) << bad;
    EXPECT_EQ(checked.error().field, "texts.spam.body") << bad;
  }
  auto s = valid();
  s.threat.subject = "About {{ .Subject }} on {{.ReportedAt}} for {{.LastName}}";
  EXPECT_TRUE(validate_report_feedback(s).has_value());
}

TEST(ReportFeedback, EveryFieldIsCheckedAndNamed) {
  const auto field_of = [](ReportFeedbackSettings s) {
    const auto checked = validate_report_feedback(s);
    return checked ? std::string("ok") : checked.error().field;
  };
  auto s = valid();
  s.received.subject = "  ";
  EXPECT_EQ(field_of(s), "texts.received.subject");
  s = valid();
  s.received.subject = "two\nlines";
  EXPECT_EQ(field_of(s), "texts.received.subject");
  s = valid();
  s.clean.body = std::string(5001, 'x');
  EXPECT_EQ(field_of(s), "texts.clean.body");
  s = valid();
  s.clean.body = "bad \xff utf-8";
  EXPECT_EQ(field_of(s), "texts.clean.body");
  s = valid();
  s.forward_to = "not an address";
  EXPECT_EQ(field_of(s), "forward_to");
  s = valid();
  s.profile_id = 0;
  EXPECT_EQ(field_of(s), "profile_id");
  s.enabled = false;
  s.forward_to = "phishing@acme.example";
  EXPECT_EQ(field_of(s), "profile_id");  // forwards go through a profile too
  s = valid();
  s.forward_to = "  Phishing@ACME.example ";
  EXPECT_EQ(field_of(s), "ok");
  EXPECT_TRUE(validate_report_feedback(s).has_value());
  EXPECT_EQ(s.forward_to, "phishing@acme.example");
}

TEST(ReportFeedback, PlaceholdersAreFilledAndGapsReadNaturally) {
  const FeedbackFields ada{"Ada", "Lovelace", "Invoice overdue", kTuesday};
  EXPECT_EQ(fill_feedback_text("Hello {{.FirstName}} {{ .LastName }}, re \"{{.Subject}}\" of "
                               "{{.ReportedAt}}.",
                               ada),
            "Hello Ada Lovelace, re \"Invoice overdue\" of Tuesday 1 December 2026.");
  EXPECT_EQ(fill_feedback_text("Hello {{.FirstName}}, {{.Subject}}", FeedbackFields{}),
            "Hello there, (no subject)");
  // Values are text: nothing in them is read as a placeholder again.
  const FeedbackFields tricky{"{{.Subject}}", "", "<b>x</b>", kTuesday};
  EXPECT_EQ(fill_feedback_text("{{.FirstName}} {{.Subject}} {{.Other}}", tricky),
            "{{.Subject}} <b>x</b> {{.Other}}");
}

TEST(ReportFeedback, VerdictsNameTheirTexts) {
  EXPECT_EQ(feedback_kind_for_verdict("clean"), FeedbackKind::kClean);
  EXPECT_EQ(feedback_kind_for_verdict("spam"), FeedbackKind::kSpam);
  EXPECT_EQ(feedback_kind_for_verdict("threat"), FeedbackKind::kThreat);
  EXPECT_STREQ(feedback_kind_name(FeedbackKind::kSimulation), "simulation");
}

}  // namespace
}  // namespace phishdrill
