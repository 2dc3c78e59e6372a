#include "service/training_message.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace phishdrill::service {
namespace {

constexpr std::int64_t kDue = 1796083200;      // Tuesday 1 December 2026
constexpr std::int64_t kExpires = 1798675200;  // Thursday 31 December 2026
constexpr const char* kUrl = "https://learn.example.com/learn/TOKEN123";

bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

TrainingMailInput make_input(const std::string& kind, const std::string& reason = "manual") {
  TrainingMailInput in;
  in.kind = kind;
  in.assignment.id = 11;
  in.assignment.target.id = 3;
  in.assignment.target.email = "alice@corp.example";
  in.assignment.target.first_name = "Alice";
  in.assignment.target.last_name = "Smith";
  in.assignment.target.manager_email = "boss@corp.example";
  in.assignment.module_slug = "spotting-red-flags";
  in.assignment.reason = reason;
  in.assignment.due_at = kDue;
  in.module_title = "Spotting phishing red flags";
  in.module_minutes = 5;
  in.portal_url = kUrl;
  in.link_expires_at = kExpires;
  return in;
}

SendingProfile make_profile() {
  SendingProfile p;
  p.id = 7;
  p.name = "Relay";
  p.from = "Security Team <security@corp.example>";
  p.headers = {{"X-Mailer", "Phishdrill"}};
  return p;
}

OutgoingMessage build_ok(const TrainingMailInput& in, const SendingProfile& p = make_profile()) {
  auto m = build_training_mail(in, p);
  EXPECT_TRUE(m.has_value()) << m.error().message;
  return m ? *m : OutgoingMessage{};
}

const HeaderField* header(const OutgoingMessage& m, const std::string& name) {
  for (const auto& h : m.headers) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

TEST(TrainingMail, AssignedManualAddressesAndSubject) {
  const auto m = build_ok(make_input("assigned"));
  EXPECT_EQ(m.from_name, "Security Team");
  EXPECT_EQ(m.from_address, "security@corp.example");
  EXPECT_EQ(m.to_name, "Alice Smith");
  EXPECT_EQ(m.to_address, "alice@corp.example");
  EXPECT_TRUE(has(m.subject, "Spotting phishing red flags")) << m.subject;
  EXPECT_TRUE(has(m.subject, "5 minutes")) << m.subject;
  EXPECT_EQ(m.subject.find('\n'), std::string::npos);
  EXPECT_TRUE(has(m.text, "Hello Alice,"));
  EXPECT_TRUE(has(m.text, "Your security team has asked you")) << m.text;
  EXPECT_FALSE(has(m.text, "practice phishing email"));
  EXPECT_TRUE(has(m.text, "Tuesday 1 December 2026")) << m.text;  // due date
  EXPECT_TRUE(has(m.text, "Start the training")) << m.text;
  // The profile's headers are kept.
  ASSERT_NE(header(m, "X-Mailer"), nullptr);
  EXPECT_EQ(header(m, "X-Mailer")->value, "Phishdrill");
}

TEST(TrainingMail, AssignedByCampaignExplainsTheSimulation) {
  const auto m = build_ok(make_input("assigned", "campaign"));
  EXPECT_TRUE(has(m.text, "practice phishing email")) << m.text;
  EXPECT_TRUE(has(m.text, "nobody is in trouble")) << m.text;
  EXPECT_FALSE(has(m.text, "Your security team has asked you"));
  EXPECT_TRUE(has(m.html, "practice phishing email"));
}

TEST(TrainingMail, ReminderSubjectNamesModuleAndDueDate) {
  const auto m = build_ok(make_input("reminder"));
  EXPECT_TRUE(has(m.subject, "Reminder")) << m.subject;
  EXPECT_TRUE(has(m.subject, "Spotting phishing red flags")) << m.subject;
  EXPECT_TRUE(has(m.subject, "Tuesday 1 December 2026")) << m.subject;
  EXPECT_TRUE(has(m.text, "reminder")) << m.text;
  EXPECT_TRUE(has(m.text, "Open your training")) << m.text;
}

TEST(TrainingMail, OverdueSubjectNamesModuleAndDueDate) {
  const auto m = build_ok(make_input("overdue"));
  EXPECT_TRUE(has(m.subject, "Overdue")) << m.subject;
  EXPECT_TRUE(has(m.subject, "Spotting phishing red flags")) << m.subject;
  EXPECT_TRUE(has(m.subject, "Tuesday 1 December 2026")) << m.subject;
  EXPECT_TRUE(has(m.text, "was due Tuesday 1 December 2026")) << m.text;
}

TEST(TrainingMail, PortalLinkInTextAndHtml) {
  for (const char* kind : {"assigned", "reminder", "overdue"}) {
    const auto m = build_ok(make_input(kind));
    EXPECT_TRUE(has(m.text, kUrl)) << kind;
    EXPECT_TRUE(has(m.html, std::string("href=\"") + kUrl + "\"")) << kind;
    // The address also in words, for people who cannot click.
    EXPECT_GE(count(m.html, kUrl), 2) << kind;
  }
}

TEST(TrainingMail, PortalLinkIsEscapedInHtmlOnly) {
  auto in = make_input("assigned");
  in.portal_url = "https://learn.example.com/learn/T?a=1&b=\"2\"";
  const auto m = build_ok(in);
  EXPECT_TRUE(has(m.text, in.portal_url));
  EXPECT_TRUE(has(m.html, "https://learn.example.com/learn/T?a=1&amp;b=&quot;2&quot;")) << m.html;
  EXPECT_FALSE(has(m.html, "b=\"2\""));
}

TEST(TrainingMail, LinkExpiryDateIsStated) {
  const auto m = build_ok(make_input("assigned"));
  EXPECT_TRUE(has(m.text, "works until Thursday 31 December 2026")) << m.text;
  EXPECT_TRUE(has(m.html, "Thursday 31 December 2026"));
}

TEST(TrainingMail, EscapesThePersonAndTheModuleInHtml) {
  auto in = make_input("assigned", "campaign");
  in.assignment.target.first_name = "<script>alert(1)</script>";
  in.module_title = "Red flags <b>& more</b>";
  for (const char* kind : {"assigned", "reminder", "overdue"}) {
    in.kind = kind;
    const auto m = build_ok(in);
    EXPECT_FALSE(has(m.html, "<script>")) << kind;
    EXPECT_FALSE(has(m.html, "<b>")) << kind;
    EXPECT_TRUE(has(m.html, "&lt;script&gt;alert(1)&lt;/script&gt;")) << kind;
    EXPECT_TRUE(has(m.html, "Red flags &lt;b&gt;&amp; more&lt;/b&gt;")) << kind;
    // Plain text carries the text as it is.
    EXPECT_TRUE(has(m.text, "Hello <script>alert(1)</script>,")) << kind;
  }
}

TEST(TrainingMail, GreetingWithoutFirstName) {
  auto in = make_input("assigned");
  in.assignment.target.first_name.clear();
  in.assignment.target.last_name.clear();
  const auto m = build_ok(in);
  EXPECT_TRUE(m.text.starts_with("Hello,")) << m.text;
  EXPECT_EQ(m.to_name, "");
}

TEST(TrainingMail, ToNameIsTrimmedWhenOneNameIsMissing) {
  auto in = make_input("assigned");
  in.assignment.target.last_name.clear();
  EXPECT_EQ(build_ok(in).to_name, "Alice");
  in = make_input("assigned");
  in.assignment.target.first_name.clear();
  EXPECT_EQ(build_ok(in).to_name, "Smith");
}

// The person's email carries their personal link: it never copies anyone.
TEST(TrainingMail, NeverCopiesTheManager) {
  for (const char* kind : {"assigned", "reminder", "overdue"}) {
    auto in = make_input(kind);
    in.manager_informed = true;
    const auto m = build_ok(in);
    EXPECT_EQ(header(m, "Cc"), nullptr) << kind;
    EXPECT_EQ(header(m, "Bcc"), nullptr) << kind;
    EXPECT_FALSE(has(m.text, "boss@corp.example")) << kind;
    EXPECT_FALSE(has(m.html, "boss@corp.example")) << kind;
  }
}

TEST(TrainingMail, OverdueSaysWhenTheManagerWasTold) {
  auto in = make_input("overdue");
  EXPECT_FALSE(has(build_ok(in).text, "manager"));
  in.manager_informed = true;
  const auto m = build_ok(in);
  EXPECT_TRUE(has(m.text, "Your manager has been told")) << m.text;
  EXPECT_TRUE(has(m.html, "Your manager has been told"));
}

OutgoingMessage manager_notice_ok(const TrainingMailInput& in,
                                  const SendingProfile& p = make_profile()) {
  auto m = build_manager_notice(in, p);
  EXPECT_TRUE(m.has_value()) << m.error().message;
  return m ? *m : OutgoingMessage{};
}

TEST(ManagerNotice, GoesToTheManagerWithoutTheLink) {
  auto in = make_input("overdue");
  in.manager_informed = true;
  const auto m = manager_notice_ok(in);
  EXPECT_EQ(m.to_address, "boss@corp.example");
  EXPECT_EQ(m.from_name, "Security Team");
  EXPECT_EQ(m.from_address, "security@corp.example");
  EXPECT_TRUE(has(m.subject, "Alice Smith")) << m.subject;
  EXPECT_TRUE(has(m.subject, "Spotting phishing red flags")) << m.subject;
  EXPECT_TRUE(has(m.text, "Tuesday 1 December 2026")) << m.text;
  // The personal link is the person's alone.
  EXPECT_FALSE(has(m.text, "TOKEN123"));
  EXPECT_FALSE(has(m.html, "TOKEN123"));
  EXPECT_FALSE(has(m.html, "<a "));
  EXPECT_EQ(header(m, "Cc"), nullptr);
  ASSERT_NE(header(m, "X-Mailer"), nullptr);
}

TEST(ManagerNotice, NamesThePersonByAddressWhenNoName) {
  auto in = make_input("overdue");
  in.assignment.target.first_name.clear();
  in.assignment.target.last_name.clear();
  const auto m = manager_notice_ok(in);
  EXPECT_TRUE(has(m.subject, "alice@corp.example")) << m.subject;
}

TEST(ManagerNotice, EscapesThePersonAndTheModuleInHtml) {
  auto in = make_input("overdue");
  in.assignment.target.first_name = "<script>alert(1)</script>";
  in.module_title = "Red flags <b>& more</b>";
  const auto m = manager_notice_ok(in);
  EXPECT_FALSE(has(m.html, "<script>"));
  EXPECT_FALSE(has(m.html, "<b>"));
  EXPECT_TRUE(has(m.html, "&lt;script&gt;"));
}

TEST(ManagerNotice, InvalidProfileFromIsAnError) {
  auto p = make_profile();
  p.from = "nobody";
  auto m = build_manager_notice(make_input("overdue"), p);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, ErrorCode::kValidation);
}

TEST(TrainingMail, FromWithoutDisplayName) {
  auto p = make_profile();
  p.from = "training@corp.example";
  const auto m = build_ok(make_input("assigned"), p);
  EXPECT_EQ(m.from_name, "");
  EXPECT_EQ(m.from_address, "training@corp.example");
}

TEST(TrainingMail, InvalidProfileFromIsAnError) {
  for (const char* bad :
       {"", "Security Team", "not-an-address", "a@b.example\r\nBcc: x@y.example"}) {
    auto p = make_profile();
    p.from = bad;
    auto m = build_training_mail(make_input("assigned"), p);
    ASSERT_FALSE(m.has_value()) << bad;
    EXPECT_EQ(m.error().code, ErrorCode::kValidation) << bad;
  }
}

TEST(TrainingMail, HtmlIsACompleteDocument) {
  const auto m = build_ok(make_input("reminder"));
  EXPECT_TRUE(m.html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(m.html.ends_with("</body></html>"));
  EXPECT_FALSE(m.text.empty());
}

}  // namespace
}  // namespace phishdrill::service
