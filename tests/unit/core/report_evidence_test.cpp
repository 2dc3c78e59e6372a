#include "core/report_evidence.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/utf8.h"

namespace phishdrill {
namespace {

OrganisationProfile organisation() {
  return {{"example.org"}, {"Ada Lovelace", "\xC3\x89mile Zola"}};
}

// A newsletter from a sender unrelated to us, as it arrives: everything
// aligned and passing, an unsubscribe link, a tracking pixel.
ReportedMessage newsletter() {
  ReportedMessage message;
  message.from_name = "Cooking Weekly";
  message.from_address = "news@mail.cookingweekly.com";
  message.reply_to = "editor@cookingweekly.com";
  message.return_path = "bounce-8812@bounces.cookingweekly.com";
  message.subject = "Five new recipes for the weekend";
  message.message_id = "20240601.1234@mail.cookingweekly.com";
  message.authentication_results = {
      "mx.example.org; spf=pass smtp.mailfrom=bounces.cookingweekly.com; dkim=pass "
      "header.d=cookingweekly.com; dmarc=pass header.from=mail.cookingweekly.com"};
  message.text =
      "Hello! This week: a lemon tart, two soups and a summer salad. Read them on our site. "
      "You receive this because you subscribed at cookingweekly.com. Unsubscribe any time.";
  message.links = {
      {"https://www.cookingweekly.com/recipes/week-22?utm_source=newsletter", "Read the recipes"},
      {"https://www.cookingweekly.com/unsubscribe?u=8812", "Unsubscribe"},
      {"https://www.cookingweekly.com/open.gif?u=8812", "", true},
      {"mailto:editor@cookingweekly.com", "Write to the editor"},
      {"https://www.cookingweekly.com/recipes/week-22?utm_source=newsletter",
       "www.cookingweekly.com"},
  };
  return message;
}

bool has(const Evidence& evidence, std::string_view code) {
  return std::ranges::any_of(evidence.findings, [&](const Finding& f) { return f.code == code; });
}

const Finding* find(const Evidence& evidence, std::string_view code) {
  const auto it =
      std::ranges::find_if(evidence.findings, [&](const Finding& f) { return f.code == code; });
  return it == evidence.findings.end() ? nullptr : &*it;
}

std::vector<std::string> codes(const Evidence& evidence) {
  std::vector<std::string> out;
  for (const auto& finding : evidence.findings) out.push_back(finding.code);
  return out;
}

Evidence judge(const ReportedMessage& message) {
  return judge_reported_message(message, organisation());
}

TEST(JudgeReportedMessage, PlainNewsletterIsClean) {
  const Evidence evidence = judge(newsletter());
  EXPECT_TRUE(evidence.findings.empty()) << testing::PrintToString(codes(evidence));
  EXPECT_EQ(evidence.score, 0);
  EXPECT_EQ(evidence.suggested, Verdict::kClean);
}

TEST(JudgeReportedMessage, DmarcFailureLookalikeLinkAndCredentialLanguageIsAThreat) {
  ReportedMessage message;
  message.from_name = "IT Service Desk";
  message.from_address = "helpdesk@mailer-7.test";
  message.subject = "Password expiry";
  message.authentication_results = {"mx.example.org; dmarc=fail header.from=mailer-7.test"};
  message.text = "Your mailbox password expires today. Please verify your password here.";
  message.links = {
      {"https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexamp1e-"
       "login.com%2Freset&data=05%7C01&reserved=0",
       "Keep my password"}};
  const Evidence evidence = judge(message);
  EXPECT_TRUE(has(evidence, "dmarc_fail"));
  EXPECT_TRUE(has(evidence, "lookalike_domain"));
  EXPECT_TRUE(has(evidence, "credential_language"));
  EXPECT_GE(evidence.score, 60);
  EXPECT_EQ(evidence.suggested, Verdict::kThreat);
}

TEST(JudgeReportedMessage, SpamBand) {
  ReportedMessage message = newsletter();
  message.reply_to = "offers@mail-promo.test";
  message.subject = "Last chance: urgent offer";
  const Evidence evidence = judge(message);
  EXPECT_EQ(codes(evidence), (std::vector<std::string>{"reply_to_mismatch", "urgency_language"}));
  EXPECT_EQ(evidence.score, 25);
  EXPECT_EQ(evidence.suggested, Verdict::kSpam);
}

TEST(JudgeReportedMessage, ReplyToAndReturnPathElsewhere) {
  ReportedMessage message = newsletter();
  message.reply_to = "Payroll@Gmail.com";
  message.return_path = "bounce@evil.test";
  const Evidence evidence = judge(message);
  ASSERT_TRUE(find(evidence, "reply_to_mismatch"));
  EXPECT_GT(find(evidence, "reply_to_mismatch")->points, 0);
  EXPECT_NE(find(evidence, "reply_to_mismatch")->detail.find("Payroll@Gmail.com"),
            std::string::npos);
  EXPECT_TRUE(has(evidence, "return_path_mismatch"));
}

TEST(JudgeReportedMessage, AuthenticationFailures) {
  ReportedMessage message = newsletter();
  message.authentication_results = {
      "mx.example.org; spf=fail smtp.mailfrom=evil.test; dkim=fail header.d=evil.test; "
      "dmarc=fail header.from=cookingweekly.com"};
  Evidence evidence = judge(message);
  EXPECT_EQ(codes(evidence), (std::vector<std::string>{"spf_fail", "dkim_fail", "dmarc_fail"}));
  EXPECT_NE(evidence.findings[0].detail.find("evil.test"), std::string::npos);

  message.authentication_results = {"mx.example.org; spf=softfail; dkim=none; dmarc=none"};
  evidence = judge(message);
  EXPECT_EQ(codes(evidence), (std::vector<std::string>{"spf_softfail", "dkim_none", "dmarc_none"}));

  message.authentication_results = {"mx.example.org; spf=none; dkim=pass; dmarc=pass"};
  EXPECT_EQ(codes(judge(message)), std::vector<std::string>{"spf_none"});
}

TEST(JudgeReportedMessage, OnlyTheTopmostAuthenticationResultsCount) {
  ReportedMessage message = newsletter();
  // The sender wrote a passing header lower down; ours, on top, says fail.
  message.authentication_results = {"mx.example.org; spf=fail; dmarc=fail",
                                    "mx.example.org; spf=pass; dkim=pass; dmarc=pass"};
  Evidence evidence = judge(message);
  EXPECT_TRUE(has(evidence, "spf_fail"));
  EXPECT_TRUE(has(evidence, "dmarc_fail"));
  // And a forged failing one below a passing one changes nothing.
  message.authentication_results = {"mx.example.org; spf=pass; dkim=pass; dmarc=pass",
                                    "forged.test; spf=fail; dkim=fail; dmarc=fail"};
  EXPECT_TRUE(judge(message).findings.empty());
}

TEST(JudgeReportedMessage, NoAuthenticationResultsSaysNothing) {
  ReportedMessage message = newsletter();
  message.shape = ReportShape::kInlineForward;
  message.authentication_results.clear();
  EXPECT_TRUE(judge(message).findings.empty());
}

TEST(JudgeReportedMessage, OurOwnDomainWithoutPassingDmarc) {
  ReportedMessage message = newsletter();
  message.from_name = "Finance";
  message.from_address = "finance@example.org";
  message.reply_to.clear();
  message.return_path.clear();
  message.authentication_results = {"mx.example.org; spf=pass smtp.mailfrom=evil.test; dmarc=fail"};
  Evidence evidence = judge(message);
  ASSERT_TRUE(find(evidence, "own_domain_spoof"));
  EXPECT_NE(find(evidence, "own_domain_spoof")->detail.find("DMARC"), std::string::npos);
  EXPECT_EQ(evidence.suggested, Verdict::kThreat);

  message.from_address = "finance@hr.example.org";  // a subdomain is ours too
  EXPECT_TRUE(has(judge(message), "own_domain_spoof"));

  message.authentication_results = {"mx.example.org; spf=softfail"};  // no DMARC: SPF decides
  evidence = judge(message);
  ASSERT_TRUE(find(evidence, "own_domain_spoof"));
  EXPECT_NE(find(evidence, "own_domain_spoof")->detail.find("SPF"), std::string::npos);

  // An internationalised domain of ours is ours in either form.
  const OrganisationProfile idn_org{{"b\xC3\xBC"
                                     "cher.example"},
                                    {}};
  message.from_address = "shop@xn--bcher-kva.example";
  EXPECT_TRUE(has(judge_reported_message(message, idn_org), "own_domain_spoof"));

  message.from_address = "finance@example.org";
  message.authentication_results = {"mx.example.org; spf=fail; dmarc=pass"};  // DMARC decides
  EXPECT_FALSE(has(judge(message), "own_domain_spoof"));
  message.authentication_results = {"mx.example.org; dkim=pass"};  // nothing to decide on
  EXPECT_FALSE(has(judge(message), "own_domain_spoof"));
}

TEST(JudgeReportedMessage, DisplayNameOfOneOfOurPeople) {
  ReportedMessage message = newsletter();
  message.from_name = "  ada \t LOVELACE ";
  message.from_address = "ada.lovelace.ceo@gmail.com";
  message.reply_to.clear();
  message.return_path.clear();
  EXPECT_TRUE(has(judge(message), "display_name_impersonation"));
  message.from_name = "Emile ZOLA";  // no accent, still Émile Zola
  EXPECT_TRUE(has(judge(message), "display_name_impersonation"));
  message.from_name = "E\xCC\x81mile Zola";  // decomposed accent
  EXPECT_TRUE(has(judge(message), "display_name_impersonation"));
  message.from_name = "Ada Lovelace Fan Club";
  EXPECT_FALSE(has(judge(message), "display_name_impersonation"));
  message.from_name = "Ada Lovelace";
  message.from_address = "ada@example.org";  // really ours
  EXPECT_FALSE(has(judge(message), "display_name_impersonation"));
}

TEST(JudgeReportedMessage, AddressOfAnotherDomainInTheDisplayName) {
  ReportedMessage message = newsletter();
  message.from_name = "ceo@example.org via Docs";
  message.from_address = "share@docs-notify.test";
  message.reply_to.clear();
  message.return_path.clear();
  const Evidence evidence = judge(message);
  ASSERT_TRUE(find(evidence, "display_name_address"));
  EXPECT_NE(find(evidence, "display_name_address")->detail.find("ceo@example.org"),
            std::string::npos);
  message.from_name = "news@cookingweekly.com";
  message.from_address = "news@mail.cookingweekly.com";
  EXPECT_FALSE(has(judge(message), "display_name_address"));
}

TEST(JudgeReportedMessage, LookalikeSenderReplyToAndLinks) {
  ReportedMessage message = newsletter();
  message.from_address = "payroll@exarnple.org";
  message.reply_to.clear();
  message.return_path.clear();
  Evidence evidence = judge(message);
  ASSERT_TRUE(find(evidence, "lookalike_domain"));
  EXPECT_NE(find(evidence, "lookalike_domain")->detail.find("exarnple.org"), std::string::npos);
  EXPECT_NE(find(evidence, "lookalike_domain")->detail.find("example.org"), std::string::npos);

  message = newsletter();
  message.reply_to = "payroll@example-payments.com";
  EXPECT_TRUE(has(judge(message), "lookalike_domain"));

  message = newsletter();
  message.links.push_back({"https://xn--xample-2of.org/login", "Sign in"});
  evidence = judge(message);
  ASSERT_TRUE(find(evidence, "lookalike_domain"));
  EXPECT_NE(find(evidence, "lookalike_domain")->detail.find("Link"), std::string::npos);
  // The A-label is shown with what it reads as (a Cyrillic "е").
  EXPECT_NE(find(evidence, "lookalike_domain")->detail.find("(\xD0\xB5xample.org)"),
            std::string::npos);

  message = newsletter();
  message.links.push_back({"https://example.net/", "Our partner"});
  EXPECT_TRUE(has(judge(message), "lookalike_domain"));
}

TEST(JudgeReportedMessage, LinkTextNamingAnotherDomain) {
  ReportedMessage message = newsletter();
  message.links.push_back(
      {"https://paypal.account-check.test/signin", "https://www.paypal.com/signin"});
  Evidence evidence = judge(message);
  ASSERT_TRUE(find(evidence, "link_text_mismatch"));
  EXPECT_NE(find(evidence, "link_text_mismatch")->detail.find("paypal.account-check.test"),
            std::string::npos);
  // The real target is compared, after unwrapping: a wrapped link to the
  // domain it shows is fine.
  message = newsletter();
  message.links.push_back(
      {"https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww."
       "paypal.com%2Fsignin&data=05",
       "paypal.com"});
  EXPECT_FALSE(has(judge(message), "link_text_mismatch"));
}

TEST(JudgeReportedMessage, IpAddressLinksAndShorteners) {
  ReportedMessage message = newsletter();
  message.links.push_back({"http://192.0.2.10/login", "Log in"});
  message.links.push_back({"https://bit.ly/3xYzAbc", "Details"});
  Evidence evidence = judge(message);
  EXPECT_TRUE(has(evidence, "ip_address_link"));
  EXPECT_TRUE(has(evidence, "url_shortener"));

  message = newsletter();
  message.links.push_back({"http://0x7f.1/x", ""});  // an odd notation is still an address
  EXPECT_TRUE(has(judge(message), "ip_address_link"));
}

TEST(JudgeReportedMessage, RiskyAttachments) {
  ReportedMessage message = newsletter();
  message.attachments = {
      {"remittance.html", "text/html", 2048, std::string(64, 'a')},
      {"budget.xlsm", "application/vnd.ms-excel.sheet.macroenabled.12", 9000, std::string(64, 'b')},
      {"photos.zip", "application/zip", 100000, std::string(64, 'c')},
      {"invoice.pdf.exe", "application/octet-stream", 1000, std::string(64, 'd')},
      {"minutes.pdf", "application/pdf", 1000, std::string(64, 'e')}};
  const Evidence evidence = judge(message);
  EXPECT_EQ(codes(evidence),
            (std::vector<std::string>{"risky_attachment", "macro_attachment", "archive_attachment",
                                      "risky_attachment", "double_extension"}));
  EXPECT_EQ(evidence.findings[3].points, 0);  // risky_attachment scored once
}

TEST(JudgeReportedMessage, Language) {
  ReportedMessage message = newsletter();
  message.subject = "FINAL NOTICE";
  message.text = "Send the gift cards and the bank details. Then confirm your password.";
  const Evidence evidence = judge(message);
  EXPECT_EQ(codes(evidence), (std::vector<std::string>{"urgency_language", "payment_language",
                                                       "credential_language"}));
  EXPECT_NE(evidence.findings[1].detail.find("\"gift cards\""), std::string::npos);
  EXPECT_NE(evidence.findings[1].detail.find("\"bank details\""), std::string::npos);
}

TEST(JudgeReportedMessage, EachCodeScoresOnceAndIsListedAtMostFiveTimes) {
  ReportedMessage message = newsletter();
  for (int i = 1; i <= 9; ++i) {
    message.links.push_back({"http://192.0.2." + std::to_string(i) + "/", ""});
  }
  const Evidence evidence = judge(message);
  const auto ip_findings = std::ranges::count_if(
      evidence.findings, [](const Finding& f) { return f.code == "ip_address_link"; });
  EXPECT_EQ(ip_findings, 5);
  EXPECT_EQ(evidence.score, 20);
}

TEST(JudgeReportedMessage, ScoreIsCappedAt100) {
  ReportedMessage message;
  message.from_name = "Ada Lovelace";
  message.from_address = "ada@exarnple.org";
  message.reply_to = "x@gmail.com";
  message.return_path = "y@evil.test";
  message.authentication_results = {"mx; spf=fail; dkim=fail; dmarc=fail"};
  message.subject = "Urgent wire transfer";
  message.text = "verify your password";
  message.links = {{"http://192.0.2.1/", "https://example.org"}};
  message.attachments = {{"invoice.pdf.html", "text/html", 1, ""}};
  const Evidence evidence = judge(message);
  int total = 0;
  for (const auto& finding : evidence.findings) total += finding.points;
  EXPECT_GT(total, 100);
  EXPECT_EQ(evidence.score, 100);
  EXPECT_EQ(evidence.suggested, Verdict::kThreat);
}

TEST(JudgeReportedMessage, ExportedUrlsAndDomains) {
  ReportedMessage message = newsletter();
  message.links.push_back(
      {"https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2FShop."
       "Partner.test%2Fa&data=05",
       "Shop"});
  message.links.push_back({"https://Shop.Partner.test/a", "Shop again"});
  message.links.push_back({"cid:image001.png@01D9", ""});
  message.links.push_back({"http://192.0.2.1/x", ""});
  message.attachments = {{"a.pdf", "application/pdf", 1, "aa"},
                         {"b.pdf", "application/pdf", 1, "aa"},
                         {"c.pdf", "application/pdf", 1, "bb"}};
  const Evidence evidence = judge(message);
  EXPECT_EQ(evidence.urls,
            (std::vector<std::string>{
                "https://www.cookingweekly.com/recipes/week-22?utm_source=newsletter",
                "https://www.cookingweekly.com/unsubscribe?u=8812",
                "https://www.cookingweekly.com/open.gif?u=8812", "https://Shop.Partner.test/a",
                "http://192.0.2.1/x"}));
  EXPECT_EQ(evidence.domains,
            (std::vector<std::string>{"mail.cookingweekly.com", "www.cookingweekly.com",
                                      "shop.partner.test"}));
  EXPECT_EQ(evidence.sender, "news@mail.cookingweekly.com");
  EXPECT_EQ(evidence.attachment_sha256, (std::vector<std::string>{"aa", "bb"}));
}

TEST(JudgeReportedMessage, EmptyMessage) {
  const Evidence evidence = judge(ReportedMessage{});
  EXPECT_TRUE(evidence.findings.empty());
  EXPECT_EQ(evidence.suggested, Verdict::kClean);
  EXPECT_TRUE(evidence.urls.empty());
  EXPECT_TRUE(evidence.domains.empty());
  EXPECT_TRUE(judge_reported_message(newsletter(), OrganisationProfile{}).findings.empty());
}

TEST(JudgeReportedMessage, HostileInput) {
  ReportedMessage message;
  message.from_name = "\xFF\xFE ceo@evil\xC0.test \x01\n";
  message.from_address = "x@\xFF\xFE.test";
  message.reply_to = std::string(100 * 1024, 'r') + "@exarnple.org";
  message.subject = std::string(100 * 1024, '\xFF');
  message.text = std::string(1024 * 1024, 'u') + " urgent";
  message.authentication_results = {std::string(100 * 1024, '(')};
  for (int i = 0; i < 2000; ++i) {
    message.links.push_back({"https://a" + std::to_string(i) + ".test/\xFF%zz", "\xC0\xAF.com"});
  }
  message.attachments.assign(1000, {std::string(10000, '.') + "exe", "\xFF", 0, "x"});
  const Evidence evidence = judge(message);
  EXPECT_EQ(evidence.urls.size(), 500u);
  for (const auto& finding : evidence.findings) {
    EXPECT_TRUE(is_valid_utf8(finding.detail)) << finding.code;
    EXPECT_FALSE(has_control_chars(finding.detail)) << finding.code;
    EXPECT_LE(finding.detail.size(), 1000u) << finding.code;
  }
  EXPECT_TRUE(has(evidence, "lookalike_domain"));  // the huge Reply-To
  EXPECT_LE(evidence.score, 100);
}

TEST(VerdictName, RoundTrip) {
  for (const Verdict verdict : {Verdict::kClean, Verdict::kSpam, Verdict::kThreat}) {
    EXPECT_EQ(verdict_from_name(verdict_name(verdict)), verdict);
  }
  EXPECT_STREQ(verdict_name(Verdict::kThreat), "threat");
  EXPECT_STREQ(verdict_name(Verdict::kNone), "");
  EXPECT_EQ(verdict_from_name(""), Verdict::kNone);
  EXPECT_EQ(verdict_from_name("THREAT"), Verdict::kNone);
  EXPECT_EQ(verdict_from_name("phish"), Verdict::kNone);
}

}  // namespace
}  // namespace phishdrill
