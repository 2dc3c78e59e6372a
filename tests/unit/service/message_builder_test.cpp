#include "service/message_builder.h"

#include <gtest/gtest.h>

#include <string>

#include "core/base64.h"

namespace phishdrill::service {
namespace {

constexpr const char* kBase = "https://phish.example.com";

Recipient make_recipient(std::string first, std::string last, std::string email, std::string rid) {
  Recipient r;
  r.id = 1;
  r.campaign_id = 2;
  r.target_id = 3;
  r.rid = std::move(rid);
  r.fields.email = std::move(email);
  r.fields.first_name = std::move(first);
  r.fields.last_name = std::move(last);
  r.fields.position = "Accountant";
  r.message_id = "abc123@mail.example.com";
  return r;
}

CampaignVariant make_variant(std::int64_t id = 10) {
  CampaignVariant v;
  v.id = id;
  v.template_id = 4;
  v.content.name = "Payroll";
  v.content.subject = "Hi {{.FirstName}}, action needed";
  v.content.html =
      "<p>Dear {{.FirstName}} {{.LastName}} ({{.Position}}, {{.Email}})</p>"
      "<a href=\"{{.URL}}\">Open</a>{{.Tracker}}";
  v.content.text = "Dear {{.FirstName}}, open {{.URL}} (pixel {{.TrackingURL}}) rid={{.RId}}";
  return v;
}

SendingProfile make_profile() {
  SendingProfile p;
  p.id = 7;
  p.name = "Relay";
  p.from = "Security Team <security@corp.example>";
  p.headers = {{"X-Mailer", "Phishdrill"}, {"X-Campaign", "drill"}};
  return p;
}

OutgoingMessage build_ok(MessageBuilder& builder, const Recipient& r, const CampaignVariant& v,
                         const SendingProfile& p, const std::string& base = kBase) {
  auto m = builder.build(r, v, p, base);
  EXPECT_TRUE(m.has_value()) << m.error().message;
  return m ? *m : OutgoingMessage{};
}

TEST(MessageBuilder, RendersVariablesPerRecipient) {
  MessageBuilder builder;
  const auto variant = make_variant();
  const auto profile = make_profile();
  const auto alice = build_ok(builder, make_recipient("Alice", "Smith", "alice@example.com", "R1"),
                              variant, profile);
  const auto bob =
      build_ok(builder, make_recipient("Bob", "Jones", "bob@example.com", "R2"), variant, profile);

  EXPECT_EQ(alice.subject, "Hi Alice, action needed");
  EXPECT_EQ(bob.subject, "Hi Bob, action needed");
  EXPECT_NE(alice.html.find("Dear Alice Smith (Accountant, alice@example.com)"), std::string::npos)
      << alice.html;
  EXPECT_NE(bob.html.find("Dear Bob Jones (Accountant, bob@example.com)"), std::string::npos);
  EXPECT_EQ(alice.text,
            "Dear Alice, open https://phish.example.com/?rid=R1 (pixel "
            "https://phish.example.com/track?rid=R1) rid=R1");
  EXPECT_EQ(bob.text,
            "Dear Bob, open https://phish.example.com/?rid=R2 (pixel "
            "https://phish.example.com/track?rid=R2) rid=R2");
  EXPECT_EQ(alice.to_address, "alice@example.com");
  EXPECT_EQ(alice.to_name, "Alice Smith");
  EXPECT_EQ(bob.to_name, "Bob Jones");
}

TEST(MessageBuilder, LinksCarryTheRid) {
  MessageBuilder builder;
  const auto m = build_ok(builder, make_recipient("A", "B", "a@example.com", "Zx9_-q"),
                          make_variant(), make_profile());
  EXPECT_NE(m.html.find("href=\"https://phish.example.com/?rid=Zx9_-q\""), std::string::npos)
      << m.html;
  // The tracker pixel points at the tracking URL.
  EXPECT_NE(m.html.find("<img"), std::string::npos);
  EXPECT_NE(m.html.find("src=\"https://phish.example.com/track?rid=Zx9_-q\""), std::string::npos)
      << m.html;
  // Tracker is empty in the text part.
  EXPECT_EQ(m.text.find("<img"), std::string::npos);
}

TEST(MessageBuilder, HiddenDecoyLinkGoesBeforeTheLastBodyEnd) {
  MessageBuilder builder(LinkStyle{"rid", "/track", "/r"});
  auto variant = make_variant();
  variant.content.html = "<html><BODY><p>Hi</p></Body>\n</html>";
  const auto m =
      build_ok(builder, make_recipient("A", "B", "a@example.com", "RID7"), variant, make_profile());
  EXPECT_EQ(m.html,
            "<html><BODY><p>Hi</p><a href=\"https://phish.example.com/r?rid=RID7\" "
            "style=\"display:none\" aria-hidden=\"true\" tabindex=\"-1\"></a></Body>\n</html>");
  EXPECT_EQ(m.text.find("/r?rid="), std::string::npos);  // HTML only

  variant.id = 11;  // a fragment without </body>: the link goes at the end
  variant.content.html = "<p>Hi</p>";
  const auto fragment =
      build_ok(builder, make_recipient("A", "B", "a@example.com", "RID8"), variant, make_profile());
  EXPECT_TRUE(
      fragment.html.starts_with("<p>Hi</p><a href=\"https://phish.example.com/r?rid=RID8\""))
      << fragment.html;
}

TEST(MessageBuilder, ConfigurableLinkStyle) {
  MessageBuilder builder(LinkStyle{"id", "/t/open"});
  const auto m = build_ok(builder, make_recipient("A", "B", "a@example.com", "RID42"),
                          make_variant(), make_profile(), "http://10.0.0.5:8080");
  EXPECT_NE(m.text.find("open http://10.0.0.5:8080/?id=RID42 "), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("pixel http://10.0.0.5:8080/t/open?id=RID42)"), std::string::npos)
      << m.text;
  EXPECT_EQ(m.text.find("rid="), m.text.rfind("rid="));  // only the literal "rid={{.RId}}"
  EXPECT_NE(m.html.find("src=\"http://10.0.0.5:8080/t/open?id=RID42\""), std::string::npos);
}

TEST(MessageBuilder, ContextFor) {
  MessageBuilder builder(LinkStyle{"u", "/px"});
  auto r = make_recipient("Ann", "Lee", "ann@example.com", "RR");
  r.fields.position = "CFO";
  const auto c = builder.context_for(r, "IT <it@example.com>", "https://b.example");
  EXPECT_EQ(c.first_name, "Ann");
  EXPECT_EQ(c.last_name, "Lee");
  EXPECT_EQ(c.email, "ann@example.com");
  EXPECT_EQ(c.position, "CFO");
  EXPECT_EQ(c.from, "IT <it@example.com>");
  EXPECT_EQ(c.rid, "RR");
  EXPECT_EQ(c.base_url, "https://b.example");
  EXPECT_EQ(c.url, "https://b.example/?u=RR");
  EXPECT_EQ(c.tracking_url, "https://b.example/px?u=RR");
}

TEST(MessageBuilder, HostileFirstNameEscapedInHtmlOnly) {
  MessageBuilder builder;
  const std::string hostile = "<script>alert('x')</script>&\"";
  const auto m = build_ok(builder, make_recipient(hostile, "Evil", "e@example.com", "R"),
                          make_variant(), make_profile());
  EXPECT_EQ(m.html.find("<script>"), std::string::npos) << m.html;
  EXPECT_NE(m.html.find("Dear &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot; Evil"),
            std::string::npos)
      << m.html;
  EXPECT_NE(m.text.find("Dear " + hostile + ", open"), std::string::npos) << m.text;
  EXPECT_EQ(m.subject, "Hi " + hostile + ", action needed");
}

TEST(MessageBuilder, HeaderModeStripsLineBreaksFromValues) {
  MessageBuilder builder;
  auto variant = make_variant();
  variant.content.headers = {{"X-Greeting", "Hello {{.FirstName}}"}};
  const auto m =
      build_ok(builder, make_recipient("Eve\r\nBcc: x@evil.example", "E", "e@example.com", "R"),
               variant, make_profile());
  EXPECT_EQ(m.subject, "Hi EveBcc: x@evil.example, action needed");
  ASSERT_EQ(m.headers.size(), 3u);
  EXPECT_EQ(m.headers[2].value, "Hello EveBcc: x@evil.example");
}

TEST(MessageBuilder, FromComesFromTemplateWhenSet) {
  MessageBuilder builder;
  auto variant = make_variant();
  variant.content.from = "\"IT Helpdesk\" <helpdesk@corp.example>";
  const auto m =
      build_ok(builder, make_recipient("A", "B", "a@example.com", "R"), variant, make_profile());
  EXPECT_EQ(m.from_name, "IT Helpdesk");
  EXPECT_EQ(m.from_address, "helpdesk@corp.example");
}

TEST(MessageBuilder, FromFallsBackToProfile) {
  MessageBuilder builder;
  const auto m = build_ok(builder, make_recipient("A", "B", "a@example.com", "R"), make_variant(),
                          make_profile());
  EXPECT_EQ(m.from_name, "Security Team");
  EXPECT_EQ(m.from_address, "security@corp.example");
}

TEST(MessageBuilder, FromTemplateVariableSeesTheChosenFrom) {
  MessageBuilder builder;
  auto variant = make_variant();
  variant.content.text = "sent by {{.From}}";
  const auto m =
      build_ok(builder, make_recipient("A", "B", "a@example.com", "R"), variant, make_profile());
  EXPECT_EQ(m.text, "sent by Security Team <security@corp.example>");
}

TEST(MessageBuilder, InvalidFromFails) {
  MessageBuilder builder;
  auto profile = make_profile();
  profile.from = "not an address";
  auto m =
      builder.build(make_recipient("A", "B", "a@example.com", "R"), make_variant(), profile, kBase);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().field, "from");
}

TEST(MessageBuilder, HeadersProfileThenTemplateRendered) {
  MessageBuilder builder;
  auto variant = make_variant();
  variant.content.headers = {{"X-Ref", "{{.RId}}"}, {"X-To", "{{.FirstName}} <{{.Email}}>"}};
  const auto m = build_ok(builder, make_recipient("Ann", "Lee", "ann@example.com", "R77"), variant,
                          make_profile());
  ASSERT_EQ(m.headers.size(), 4u);
  EXPECT_EQ(m.headers[0].name, "X-Mailer");
  EXPECT_EQ(m.headers[0].value, "Phishdrill");
  EXPECT_EQ(m.headers[1].name, "X-Campaign");
  EXPECT_EQ(m.headers[1].value, "drill");
  EXPECT_EQ(m.headers[2].name, "X-Ref");
  EXPECT_EQ(m.headers[2].value, "R77");
  EXPECT_EQ(m.headers[3].name, "X-To");
  // Header mode: values verbatim (not HTML-escaped).
  EXPECT_EQ(m.headers[3].value, "Ann <ann@example.com>");
}

TEST(MessageBuilder, MessageIdAndAttachmentsCopied) {
  MessageBuilder builder;
  auto variant = make_variant();
  variant.content.attachments = {{"invoice.pdf", "application/pdf", "JVBERi0="}};
  auto r = make_recipient("A", "B", "a@example.com", "R");
  r.message_id = "fixed-at-launch.1@mail.example.com";
  const auto m = build_ok(builder, r, variant, make_profile());
  EXPECT_EQ(m.message_id, "fixed-at-launch.1@mail.example.com");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "invoice.pdf");
  EXPECT_EQ(m.attachments[0].content_base64, "JVBERi0=");
}

TEST(MessageBuilder, AnHtmlAttachmentCarriesEachPersonsLink) {
  MessageBuilder builder;
  auto variant = make_variant();
  variant.content.attachments = {
      {"advice.html", "text/html",
       base64_encode("<p>For {{.FirstName}}</p><a href=\"{{.URL}}\">View</a>")},
      {"notes.txt", "text/plain", base64_encode("{{.URL}} stays as written")}};
  const auto alice = build_ok(builder, make_recipient("Alice", "Smith", "a@example.com", "R1"),
                              variant, make_profile());
  const auto bob = build_ok(builder, make_recipient("Bob", "Jones", "b@example.com", "R2"), variant,
                            make_profile());
  EXPECT_EQ(base64_decode(alice.attachments[0].content_base64).value_or(""),
            "<p>For Alice</p><a href=\"" + std::string(kBase) + "/?rid=R1\">View</a>");
  EXPECT_EQ(base64_decode(bob.attachments[0].content_base64).value_or(""),
            "<p>For Bob</p><a href=\"" + std::string(kBase) + "/?rid=R2\">View</a>");
  EXPECT_EQ(base64_decode(alice.attachments[1].content_base64).value_or(""),
            "{{.URL}} stays as written");
}

TEST(MessageBuilder, AQrCodeGoesInlineWithEachMessage) {
  MessageBuilder builder;
  auto variant = make_variant();
  variant.content.html = "<p>Scan:</p>{{.QRCode}}{{.Tracker}}";
  const auto m =
      build_ok(builder, make_recipient("A", "B", "a@example.com", "R9"), variant, make_profile());
  EXPECT_NE(m.html.find("src=\"cid:qr-code.png\""), std::string::npos);
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "qr-code.png");
  EXPECT_EQ(m.attachments[0].content_type, "image/png");
  EXPECT_EQ(base64_decode(m.attachments[0].content_base64).value_or("").substr(1, 3), "PNG");
}

TEST(MessageBuilder, EmptyNamesGiveNoDisplayName) {
  MessageBuilder builder;
  const auto m = build_ok(builder, make_recipient("", "", "anon@example.com", "R"), make_variant(),
                          make_profile());
  EXPECT_EQ(m.to_name, "");
  const auto only_last = build_ok(builder, make_recipient("", "Lee", "lee@example.com", "R"),
                                  make_variant(), make_profile());
  EXPECT_EQ(only_last.to_name, "Lee");
}

TEST(MessageBuilder, BadTemplateFailsWithField) {
  MessageBuilder builder;
  auto variant = make_variant(99);
  variant.content.html = "<p>{{.Password}}</p>";
  auto m =
      builder.build(make_recipient("A", "B", "a@example.com", "R"), variant, make_profile(), kBase);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, ErrorCode::kValidation);
  EXPECT_EQ(m.error().field, "html");
}

TEST(MessageBuilder, DistinctVariantsRenderTheirOwnContent) {
  MessageBuilder builder;
  auto a = make_variant(1);
  auto b = make_variant(2);
  b.content.subject = "Second {{.LastName}}";
  const auto r = make_recipient("Ann", "Lee", "ann@example.com", "R");
  EXPECT_EQ(build_ok(builder, r, a, make_profile()).subject, "Hi Ann, action needed");
  EXPECT_EQ(build_ok(builder, r, b, make_profile()).subject, "Second Lee");
  EXPECT_EQ(build_ok(builder, r, a, make_profile()).subject, "Hi Ann, action needed");
}

}  // namespace
}  // namespace phishdrill::service
