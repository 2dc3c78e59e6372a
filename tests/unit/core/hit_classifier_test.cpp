#include "core/hit_classifier.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {
namespace {

constexpr std::int64_t kSent = 1'717'000'000;
constexpr std::string_view kChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";

// A person's click an hour after delivery: human under every rule.
HitSignals person(HitKind kind = HitKind::kClick) {
  HitSignals s;
  s.kind = kind;
  s.method = kind == HitKind::kSubmit ? "POST" : "GET";
  s.user_agent = kChrome;
  s.sent_at = kSent;
  s.at = kSent + 3600;
  return s;
}

Verdict classify(const HitSignals& s) { return classify_hit(s, ClassifierSettings{}); }

TEST(ClassifyHit, DefaultSettingsMatchTheContract) {
  const ClassifierSettings s;
  EXPECT_EQ(s.delivery_window_seconds, 10);
  EXPECT_EQ(s.burst_recipients, 5);
  EXPECT_EQ(s.burst_window_seconds, 10);
  EXPECT_EQ(s.sweep_recipients, 6);
  EXPECT_EQ(s.sweep_window_seconds, 60);
  EXPECT_EQ(s.decoy_window_seconds, 300);
}

TEST(ClassifyHit, PeopleAreHumanWithoutReason) {
  for (auto kind : {HitKind::kOpen, HitKind::kClick, HitKind::kSubmit, HitKind::kReport}) {
    const auto v = classify(person(kind));
    EXPECT_FALSE(v.automated) << hit_kind_event(kind);
    EXPECT_EQ(v.reason, "") << hit_kind_event(kind);
    EXPECT_EQ(v.mark_address_back_seconds, 0) << hit_kind_event(kind);
  }
}

TEST(ClassifyHit, Rule1DecoyIsAlwaysAutomated) {
  auto s = person(HitKind::kDecoy);
  const auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "followed the hidden decoy link");
  EXPECT_EQ(v.mark_address_back_seconds, 0);  // the decoy marks its recipient, not its address
}

TEST(ClassifyHit, Rule2Head) {
  auto s = person();
  s.method = "HEAD";
  EXPECT_EQ(classify(s).reason, "HEAD request (link checkers, not browsers)");
  EXPECT_TRUE(classify(s).automated);
  s.method = "GET";
  EXPECT_FALSE(classify(s).automated);
}

TEST(ClassifyHit, Rule3PrefetchPreviewPrerenderInAnyCase) {
  for (std::string_view purpose : {"prefetch", "Prefetch", "prefetch;prerender", "prerender",
                                   "preview", "PREVIEW;", "x;prefetch;"}) {
    auto s = person();
    s.purpose = purpose;
    const auto v = classify(s);
    EXPECT_TRUE(v.automated) << purpose;
    EXPECT_EQ(v.reason, "prefetch or preview request") << purpose;
  }
  for (std::string_view purpose : {"", "navigate", "prefer"}) {
    auto s = person();
    s.purpose = purpose;
    EXPECT_FALSE(classify(s).automated) << purpose;
  }
}

TEST(ClassifyHit, ReportsOnlyFailOnHeadAndPrefetch) {
  auto s = person(HitKind::kReport);
  s.user_agent = "";  // rule 4 would apply to other kinds
  EXPECT_FALSE(classify(s).automated);
  s.user_agent = "python-requests/2.31.0";  // rule 5
  EXPECT_FALSE(classify(s).automated);
  s.near_decoy = true;         // rule 6
  s.ip_recipients_recent = 9;  // rule 7
  s.sweep_recipients = 20;     // rule 7b
  s.at = kSent + 1;            // rule 8
  EXPECT_FALSE(classify(s).automated);
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);
  s.user_agent = "Mozilla/5.0";  // rule 4b is for opens only
  EXPECT_FALSE(classify(s).automated);

  auto head = person(HitKind::kReport);
  head.method = "HEAD";
  EXPECT_EQ(classify(head).reason, "HEAD request (link checkers, not browsers)");
  auto prefetch = person(HitKind::kReport);
  prefetch.purpose = "prefetch";
  EXPECT_EQ(classify(prefetch).reason, "prefetch or preview request");
}

TEST(ClassifyHit, Rule4EmptyUserAgent) {
  auto s = person(HitKind::kOpen);
  s.user_agent = "";
  const auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "no user agent");
  EXPECT_EQ(v.mark_address_back_seconds, 0);
}

TEST(ClassifyHit, Rule4bBareUserAgentOpenIsAMailPrivacyProxy) {
  // Apple Mail Privacy Protection prefetches pixels with exactly "Mozilla/5.0",
  // at any time after delivery.
  auto s = person(HitKind::kOpen);
  s.user_agent = "Mozilla/5.0";
  for (const std::int64_t after : {3, 95, 3600, 86400}) {
    s.at = kSent + after;
    const auto v = classify(s);
    EXPECT_TRUE(v.automated) << after;
    EXPECT_EQ(v.reason, "pixel prefetched by a mail privacy proxy (bare user agent)") << after;
    EXPECT_EQ(v.mark_address_back_seconds, 0) << after;
  }
  // Only opens: a click or submission with that agent is judged by the later rules.
  for (auto kind : {HitKind::kClick, HitKind::kSubmit}) {
    auto other = person(kind);
    other.user_agent = "Mozilla/5.0";
    EXPECT_FALSE(classify(other).automated) << hit_kind_event(kind);
  }
  // Only the bare agent: real mail clients say more.
  for (std::string_view ua :
       {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
        "Mozilla/5.0 ", "Mozilla/4.0"}) {
    auto open = person(HitKind::kOpen);
    open.user_agent = ua;
    EXPECT_FALSE(classify(open).automated) << ua;
  }
}

TEST(ClassifyHit, Rule5ScannerUserAgentNamesTheToken) {
  auto s = person();
  s.user_agent = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
  auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "scanner or link-preview user agent (slackbot)");
  s.user_agent = "curl/8.5.0";
  EXPECT_EQ(classify(s).reason, "scanner or link-preview user agent (curl/)");
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);
}

TEST(ClassifyHit, Rule6NearDecoy) {
  auto s = person();
  s.near_decoy = true;
  const auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "the hidden decoy link of this message was followed within 300 s");
  EXPECT_EQ(v.mark_address_back_seconds, 0);
  // Opens too: the decoy rule is about the recipient, not the address.
  auto open = person(HitKind::kOpen);
  open.near_decoy = true;
  EXPECT_TRUE(classify(open).automated);
  ClassifierSettings custom;
  custom.decoy_window_seconds = 120;
  EXPECT_EQ(classify_hit(s, custom).reason,
            "the hidden decoy link of this message was followed within 120 s");
}

TEST(ClassifyHit, Rule7BurstFromTheThresholdOn) {
  auto s = person();
  s.ip_recipients_recent = 4;
  EXPECT_FALSE(classify(s).automated);
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);
  s.ip_recipients_recent = 5;
  auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "one address opened links of 5 recipients within 10 s");
  // The address's clicks and submissions of the burst window are the scanner's too.
  EXPECT_EQ(v.mark_address_back_seconds, 10);
  s.ip_recipients_recent = 17;
  EXPECT_EQ(classify(s).reason, "one address opened links of 17 recipients within 10 s");

  ClassifierSettings custom;
  custom.burst_recipients = 3;
  custom.burst_window_seconds = 30;
  s.ip_recipients_recent = 3;
  EXPECT_EQ(classify_hit(s, custom).reason, "one address opened links of 3 recipients within 30 s");
  EXPECT_EQ(classify_hit(s, custom).mark_address_back_seconds, 30);
  s.ip_recipients_recent = 2;
  EXPECT_FALSE(classify_hit(s, custom).automated);

  auto submit = person(HitKind::kSubmit);
  submit.ip_recipients_recent = 5;
  EXPECT_EQ(classify(submit).reason, "one address opened links of 5 recipients within 10 s");
  EXPECT_EQ(classify(submit).mark_address_back_seconds, 10);
}

TEST(ClassifyHit, Rule7BurstDoesNotApplyToOpens) {
  // Colleagues behind one office address open the same morning mail together.
  auto s = person(HitKind::kOpen);
  for (const int n : {5, 17, 400}) {
    s.ip_recipients_recent = n;
    const auto v = classify(s);
    EXPECT_FALSE(v.automated) << n;
    EXPECT_EQ(v.reason, "") << n;
    EXPECT_EQ(v.mark_address_back_seconds, 0) << n;
  }
}

TEST(ClassifyHit, Rule7bSweepFromTheThresholdOn) {
  // One address and browser working slowly through many recipients' links.
  auto s = person();
  s.ip_recipients_recent = 1;
  s.sweep_recipients = 5;
  EXPECT_FALSE(classify(s).automated);
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);
  s.sweep_recipients = 6;
  auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "one address and browser opened links of 6 recipients within 60 s");
  // Only the hit that crosses the threshold marks the address's earlier hits.
  EXPECT_EQ(v.mark_address_back_seconds, 60);
  s.sweep_recipients = 23;
  EXPECT_EQ(classify(s).reason,
            "one address and browser opened links of 23 recipients within 60 s");
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);

  auto submit = person(HitKind::kSubmit);
  submit.sweep_recipients = 6;
  EXPECT_TRUE(classify(submit).automated);
  EXPECT_EQ(classify(submit).mark_address_back_seconds, 60);

  ClassifierSettings custom;
  custom.sweep_recipients = 4;
  custom.sweep_window_seconds = 120;
  s.sweep_recipients = 4;
  v = classify_hit(s, custom);
  EXPECT_EQ(v.reason, "one address and browser opened links of 4 recipients within 120 s");
  EXPECT_EQ(v.mark_address_back_seconds, 120);
  s.sweep_recipients = 3;
  EXPECT_FALSE(classify_hit(s, custom).automated);
}

TEST(ClassifyHit, Rule7bSweepDoesNotApplyToOpens) {
  // A whole office on the same Outlook build opens its mail through one address.
  auto s = person(HitKind::kOpen);
  s.user_agent = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)";
  for (const int n : {8, 40, 400}) {
    s.sweep_recipients = n;
    EXPECT_FALSE(classify(s).automated) << n;
  }
}

TEST(ClassifyHit, BurstIsCheckedBeforeSweep) {
  auto s = person();
  s.ip_recipients_recent = 5;
  s.sweep_recipients = 9;
  const auto v = classify(s);
  EXPECT_EQ(v.reason, "one address opened links of 5 recipients within 10 s");
  EXPECT_EQ(v.mark_address_back_seconds, 10);
}

TEST(ClassifyHit, Rule8DeliveryWindowIsHalfOpen) {
  auto s = person();
  s.at = kSent;
  EXPECT_EQ(classify(s).reason, "0 s after delivery, faster than a person reads mail");
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);
  s.at = kSent + 3;
  EXPECT_EQ(classify(s).reason, "3 s after delivery, faster than a person reads mail");
  s.at = kSent + 9;
  EXPECT_TRUE(classify(s).automated);
  s.at = kSent + 10;  // "less than" the window
  EXPECT_FALSE(classify(s).automated);
  s.at = kSent - 5;  // clock skew: a hit before the send is not judged by timing
  EXPECT_FALSE(classify(s).automated);
  s.at = 3;
  s.sent_at = 0;  // not known to be delivered
  EXPECT_FALSE(classify(s).automated);

  ClassifierSettings custom;
  custom.delivery_window_seconds = 30;
  s.sent_at = kSent;
  s.at = kSent + 25;
  EXPECT_TRUE(classify_hit(s, custom).automated);
  EXPECT_FALSE(classify(s).automated);
}

TEST(ClassifyHit, FirstMatchingRuleWins) {
  // Every rule fires at once; peel them off one by one in contract order.
  HitSignals s = person();
  s.kind = HitKind::kDecoy;
  s.method = "HEAD";
  s.purpose = "prefetch";
  s.user_agent = "";
  s.near_decoy = true;
  s.ip_recipients_recent = 8;
  s.sweep_recipients = 12;
  s.at = kSent + 1;
  EXPECT_EQ(classify(s).reason, "followed the hidden decoy link");
  s.kind = HitKind::kClick;
  EXPECT_EQ(classify(s).reason, "HEAD request (link checkers, not browsers)");
  s.method = "GET";
  EXPECT_EQ(classify(s).reason, "prefetch or preview request");
  s.purpose = "";
  EXPECT_EQ(classify(s).reason, "no user agent");
  s.user_agent = "Mozilla/5.0";
  s.kind = HitKind::kOpen;
  EXPECT_EQ(classify(s).reason, "pixel prefetched by a mail privacy proxy (bare user agent)");
  s.kind = HitKind::kClick;
  s.user_agent = "Mozilla/5.0 (compatible; Proofpoint URL Defense)";
  EXPECT_EQ(classify(s).reason, "scanner or link-preview user agent (proofpoint)");
  s.user_agent = kChrome;
  EXPECT_EQ(classify(s).reason, "the hidden decoy link of this message was followed within 300 s");
  s.near_decoy = false;
  EXPECT_EQ(classify(s).reason, "one address opened links of 8 recipients within 10 s");
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);  // past the threshold already
  s.ip_recipients_recent = 1;
  EXPECT_EQ(classify(s).reason,
            "one address and browser opened links of 12 recipients within 60 s");
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);
  s.sweep_recipients = 1;
  EXPECT_EQ(classify(s).reason, "1 s after delivery, faster than a person reads mail");
  EXPECT_EQ(classify(s).mark_address_back_seconds, 0);
  s.at = kSent + 600;
  EXPECT_FALSE(classify(s).automated);

  // An open skips both address rules and falls through to the delivery window.
  HitSignals open = person(HitKind::kOpen);
  open.ip_recipients_recent = 8;
  open.sweep_recipients = 12;
  open.at = kSent + 1;
  EXPECT_EQ(classify(open).reason, "1 s after delivery, faster than a person reads mail");
  EXPECT_EQ(classify(open).mark_address_back_seconds, 0);
}

TEST(ClassifyHit, RanksAndEventNames) {
  EXPECT_EQ(hit_rank(HitKind::kOpen), 1);
  EXPECT_EQ(hit_rank(HitKind::kClick), 2);
  EXPECT_EQ(hit_rank(HitKind::kSubmit), 3);
  EXPECT_EQ(hit_rank(HitKind::kReport), 0);
  EXPECT_EQ(hit_rank(HitKind::kDecoy), 0);
  EXPECT_EQ(hit_kind_event(HitKind::kOpen), "opened");
  EXPECT_EQ(hit_kind_event(HitKind::kClick), "clicked");
  EXPECT_EQ(hit_kind_event(HitKind::kSubmit), "submitted");
  EXPECT_EQ(hit_kind_event(HitKind::kReport), "reported");
  EXPECT_EQ(hit_kind_event(HitKind::kDecoy), "decoy");
}

// Every token of the contract's list, embedded in mixed case in a longer UA.
TEST(ScannerToken, FindsEveryContractTokenCaseInsensitively) {
  const std::vector<std::string> tokens = {"proofpoint",
                                           "mimecast",
                                           "barracuda",
                                           "forcepoint",
                                           "trendmicro",
                                           "trend micro",
                                           "symantec",
                                           "sophos",
                                           "fireeye",
                                           "zscaler",
                                           "safelinks",
                                           "safe links",
                                           "cisco ironport",
                                           "checkpoint",
                                           "fortiguard",
                                           "msoffice existence",
                                           "microsoft office existence discovery",
                                           "ms-office",
                                           "bingpreview",
                                           "bingbot",
                                           "googlebot",
                                           "adsbot",
                                           "slackbot",
                                           "facebookexternalhit",
                                           "twitterbot",
                                           "linkedinbot",
                                           "whatsapp",
                                           "telegrambot",
                                           "discordbot",
                                           "skypeuripreview",
                                           "yahoo! slurp",
                                           "curl/",
                                           "wget/",
                                           "python-requests",
                                           "python-urllib",
                                           "go-http-client",
                                           "java/",
                                           "okhttp",
                                           "libwww-perl",
                                           "apache-httpclient",
                                           "headlesschrome",
                                           "phantomjs",
                                           "scrapy",
                                           "nessus"};
  for (const auto& token : tokens) {
    std::string mixed = token;
    for (std::size_t i = 0; i < mixed.size(); i += 2) {
      mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
    }
    const std::string ua = "Mozilla/5.0 (compatible; " + mixed + "1.0)";
    const auto found = scanner_token(ua);
    // No token contains an earlier one, so each UA names exactly its own.
    EXPECT_EQ(found, token) << ua;
  }
}

TEST(ScannerToken, RealScannerAndPreviewerAgents) {
  EXPECT_EQ(scanner_token("Mozilla/4.0 (compatible; ms-office; MSOffice 16)"), "ms-office");
  EXPECT_EQ(scanner_token("WhatsApp/2.23.20.0 A"), "whatsapp");
  EXPECT_EQ(scanner_token("TelegramBot (like TwitterBot)"), "twitterbot");  // first in list order
  EXPECT_EQ(scanner_token("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                          "HeadlessChrome/122.0.6261.94 Safari/537.36"),
            "headlesschrome");
  EXPECT_EQ(scanner_token("Apache-HttpClient/4.5.14 (Java/17.0.8)"), "java/");
  EXPECT_EQ(scanner_token("Go-http-client/2.0"), "go-http-client");
}

TEST(ScannerToken, PeoplesBrowsersAndMailClientsNameNone) {
  for (const std::string_view ua : std::initializer_list<std::string_view>{
           kChrome,
           "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com "
           "GoogleImageProxy)",
           "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
           "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)",
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 "
           "Thunderbird/115.10.1",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
           "Gecko)",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
           "like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
           "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like "
           "Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
           "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Version/4.0 Chrome/123.0.6312.99 Mobile Safari/537.36 PKeyAuth/1.0",
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
           "curly-browser 1.0",  // "curl/" needs the slash
           "JavaFX WebView",     // "java/" needs the slash
           ""}) {
    EXPECT_EQ(scanner_token(ua), "") << ua;
  }
}

}  // namespace
}  // namespace phishdrill
