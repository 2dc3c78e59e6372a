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
  s.headers.accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  s.headers.accept_language = "en-US,en;q=0.9";
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
    EXPECT_EQ(v.flag_address_back_seconds, 0) << hit_kind_event(kind);
  }
}

TEST(ClassifyHit, Rule1DecoyIsAlwaysAutomated) {
  auto s = person(HitKind::kDecoy);
  const auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "followed the hidden decoy link");
  EXPECT_EQ(v.flag_address_back_seconds, 0);  // the decoy marks its recipient, not its address
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
  EXPECT_EQ(classify(s).flag_address_back_seconds, 0);
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
  EXPECT_EQ(v.flag_address_back_seconds, 0);
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
    EXPECT_EQ(v.flag_address_back_seconds, 0) << after;
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
  EXPECT_EQ(classify(s).flag_address_back_seconds, 0);
}

TEST(ClassifyHit, Rule6NearDecoy) {
  auto s = person();
  s.near_decoy = true;
  const auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason,
            "the hidden decoy link of this message was followed within 300 s from this address "
            "and browser");
  EXPECT_EQ(v.flag_address_back_seconds, 0);
  // Opens too: the decoy rule is about the recipient, not the address.
  auto open = person(HitKind::kOpen);
  open.near_decoy = true;
  EXPECT_TRUE(classify(open).automated);
  ClassifierSettings custom;
  custom.decoy_window_seconds = 120;
  EXPECT_EQ(classify_hit(s, custom).reason,
            "the hidden decoy link of this message was followed within 120 s from this address "
            "and browser");
}

// Regression (#10 finding 13): rules that look only at the address flag a
// hit suspect; they never make it automated, so people behind one office
// address stay counted.
TEST(ClassifyHit, BurstFlagsSuspectButNeverAutomated) {
  auto s = person();
  s.ip_recipients_recent = 4;
  EXPECT_EQ(classify(s).suspect, "");
  s.ip_recipients_recent = 5;
  auto v = classify(s);
  EXPECT_FALSE(v.automated);
  EXPECT_EQ(v.reason, "");
  EXPECT_EQ(v.suspect, "one address opened links of 5 recipients within 10 s");
  // The hit that crosses the threshold flags the address's earlier clicks.
  EXPECT_EQ(v.flag_address_back_seconds, 10);
  s.ip_recipients_recent = 17;
  EXPECT_FALSE(classify(s).automated);
  EXPECT_EQ(classify(s).flag_address_back_seconds, 0);

  ClassifierSettings custom;
  custom.burst_recipients = 3;
  custom.burst_window_seconds = 30;
  s.ip_recipients_recent = 3;
  EXPECT_EQ(classify_hit(s, custom).suspect,
            "one address opened links of 3 recipients within 30 s");
  EXPECT_EQ(classify_hit(s, custom).flag_address_back_seconds, 30);
}

TEST(ClassifyHit, SweepFlagsSuspectButNeverAutomated) {
  auto s = person();
  s.sweep_recipients = 5;
  EXPECT_EQ(classify(s).suspect, "");
  s.sweep_recipients = 6;
  auto v = classify(s);
  EXPECT_FALSE(v.automated);
  EXPECT_EQ(v.suspect, "one address and browser opened links of 6 recipients within 60 s");
  EXPECT_EQ(v.flag_address_back_seconds, 60);
  s.sweep_recipients = 23;
  EXPECT_EQ(classify(s).flag_address_back_seconds, 0);
}

TEST(ClassifyHit, AddressRulesSpareOpensSubmissionsAndReports) {
  // Opens: offices read the morning mail together. Submissions: a person's own act.
  for (auto kind : {HitKind::kOpen, HitKind::kSubmit, HitKind::kReport}) {
    auto s = person(kind);
    s.ip_recipients_recent = 400;
    s.sweep_recipients = 400;
    const auto v = classify(s);
    EXPECT_FALSE(v.automated) << hit_kind_event(kind);
    EXPECT_EQ(v.suspect, "") << hit_kind_event(kind);
    EXPECT_EQ(v.flag_address_back_seconds, 0) << hit_kind_event(kind);
  }
}

TEST(ClassifyHit, EvidenceOfItsOwnOutranksTheAddressRules) {
  auto s = person();
  s.ip_recipients_recent = 8;
  s.at = kSent + 2;
  const auto v = classify(s);
  EXPECT_TRUE(v.automated);
  EXPECT_EQ(v.reason, "2 s after delivery, faster than a person reads mail");
  EXPECT_EQ(v.suspect, "");
  EXPECT_EQ(v.flag_address_back_seconds, 0);
}

TEST(ClassifyHit, Rule8DeliveryWindowIsHalfOpen) {
  auto s = person();
  s.at = kSent;
  EXPECT_EQ(classify(s).reason, "0 s after delivery, faster than a person reads mail");
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
  HitSignals s = person();
  s.kind = HitKind::kDecoy;
  s.method = "HEAD";
  s.purpose = "prefetch";
  s.user_agent = "";
  s.near_decoy = true;
  s.ip_recipients_recent = 8;
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
  s.headers.accept_language = "";
  EXPECT_EQ(classify(s).reason,
            "a browser user agent without the Accept-Language header every browser sends");
  s.headers.accept_language = "en";
  EXPECT_EQ(classify(s).reason,
            "the hidden decoy link of this message was followed within 300 s from this address "
            "and browser");
  s.near_decoy = false;
  EXPECT_EQ(classify(s).reason, "1 s after delivery, faster than a person reads mail");
  s.at = kSent + 600;
  EXPECT_FALSE(classify(s).automated);
  EXPECT_EQ(classify(s).suspect, "one address opened links of 8 recipients within 10 s");
}

// Regression (#10 finding 13): Outlook for Windows downloads a message's
// images with Office's HTTP stack when the person reads it; that open is the
// person. Office's link probe (a click) stays a machine.
TEST(ClassifyHit, OutlooksImageDownloadIsThePersonsOpen) {
  auto open = person(HitKind::kOpen);
  open.user_agent = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)";
  open.headers = {};
  EXPECT_FALSE(classify(open).automated);
  auto probe = person();
  probe.user_agent = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)";
  EXPECT_EQ(classify(probe).reason, "scanner or link-preview user agent (ms-office)");
  open.user_agent = "Microsoft Office Existence Discovery";
  EXPECT_TRUE(classify(open).automated);
}

HitSignals navigation(std::string_view ua) {
  auto s = person();
  s.user_agent = ua;
  s.secure_origin = true;
  s.headers.accept =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  s.headers.accept_language = "en-US,en;q=0.9";
  s.headers.sec_fetch_mode = "navigate";
  s.headers.sec_fetch_site = "none";
  return s;
}

HitSignals chrome_navigation() {
  auto s = navigation(kChrome);
  s.headers.sec_ch_ua = R"("Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99")";
  s.headers.sec_ch_ua_mobile = "?0";
  s.headers.sec_ch_ua_platform = R"("Windows")";
  return s;
}

// Regression (#10 finding 13): scanners that arrive minutes after delivery
// with a browser's user agent but not the headers that browser sends.
TEST(BrowserHeaders, ARealBrowsersNavigationPasses) {
  EXPECT_EQ(browser_header_mismatch(chrome_navigation()), "");
  EXPECT_FALSE(classify(chrome_navigation()).automated);
  auto firefox = navigation(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0");
  EXPECT_EQ(browser_header_mismatch(firefox), "");
  auto safari = navigation(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
      "like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1");
  safari.headers.sec_fetch_mode = "";
  EXPECT_EQ(browser_header_mismatch(safari), "");
  // Plain http: browsers send neither Sec-Fetch-* nor client hints.
  auto plain = chrome_navigation();
  plain.secure_origin = false;
  plain.headers.sec_fetch_mode = plain.headers.sec_ch_ua = plain.headers.sec_ch_ua_platform = "";
  EXPECT_EQ(browser_header_mismatch(plain), "");
  // Samsung Internet and Android web views do not always send client hints.
  auto samsung = navigation(
      "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like "
      "Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36");
  EXPECT_EQ(browser_header_mismatch(samsung), "");
  // "Request desktop site" on Android.
  auto desktop_mode = chrome_navigation();
  desktop_mode.user_agent =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
      "Safari/537.36";
  desktop_mode.headers.sec_ch_ua_platform = R"("Android")";
  EXPECT_EQ(browser_header_mismatch(desktop_mode), "");
  // Mail clients and image proxies are not browsers: no header rule applies.
  auto outlook = person(HitKind::kOpen);
  outlook.user_agent = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)";
  outlook.headers = {};
  EXPECT_EQ(browser_header_mismatch(outlook), "");
  auto proxy = person(HitKind::kOpen);
  proxy.user_agent =
      "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
  proxy.headers = {};
  EXPECT_EQ(browser_header_mismatch(proxy), "");
}

TEST(BrowserHeaders, WhatABrowserNeverDoes) {
  auto s = chrome_navigation();
  s.headers.accept_language = "";
  EXPECT_EQ(classify(s).reason,
            "a browser user agent without the Accept-Language header every browser sends");
  s = chrome_navigation();
  s.headers.accept = "*/*";
  EXPECT_EQ(classify(s).reason,
            "a browser asks for text/html when it opens a page; this request did not");
  s = chrome_navigation();
  s.headers.sec_fetch_mode = "no-cors";
  EXPECT_EQ(classify(s).reason, "fetched in no-cors mode, not opened as a page");
  s = chrome_navigation();
  s.headers.sec_fetch_mode = "";
  EXPECT_EQ(classify(s).reason, "a browser that sends Sec-Fetch-Mode to https pages did not");
  s = chrome_navigation();
  s.headers.sec_ch_ua = s.headers.sec_ch_ua_platform = s.headers.sec_ch_ua_mobile = "";
  EXPECT_EQ(classify(s).reason,
            "a Chrome user agent without the client hints Chrome sends to https pages");
}

TEST(BrowserHeaders, ClientHintsThatContradictTheUserAgent) {
  auto s = chrome_navigation();
  s.headers.sec_ch_ua = R"("HeadlessChrome";v="124", "Chromium";v="124")";
  EXPECT_EQ(classify(s).reason, "client hints name a headless browser");
  s = chrome_navigation();
  s.headers.sec_ch_ua_platform = R"("Linux")";
  EXPECT_EQ(classify(s).reason, "client hints say Linux, the user agent Windows");
  s = chrome_navigation();
  s.headers.sec_ch_ua = R"("Chromium";v="119", "Google Chrome";v="119")";
  EXPECT_EQ(classify(s).reason, "client hints say Chromium 119, the user agent Chrome 124");
  s = chrome_navigation();
  s.headers.sec_ch_ua_mobile = "?1";
  EXPECT_EQ(classify(s).reason, "client hints and user agent disagree on a mobile device");
  s = navigation(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0");
  s.headers.sec_ch_ua = R"("Chromium";v="124")";
  EXPECT_EQ(classify(s).reason, "Chromium's client hints with a user agent of another browser");
  // Opens are judged on Accept-Language and hints, not on navigation headers.
  auto open = chrome_navigation();
  open.kind = HitKind::kOpen;
  open.headers.accept = "image/avif,image/webp,*/*";
  open.headers.sec_fetch_mode = "no-cors";
  EXPECT_FALSE(classify(open).automated);
  open.headers.accept_language = "";
  EXPECT_TRUE(classify(open).automated);
}

HitSignals beacon(std::int64_t visible_ms, int interactions) {
  auto s = chrome_navigation();
  s.kind = HitKind::kBeacon;
  s.method = "POST";
  s.headers.accept = "*/*";
  s.headers.sec_fetch_mode = "no-cors";
  s.headers.sec_fetch_site = "same-origin";
  s.headers.origin = "https://go.example.com";
  s.own_origin = "https://go.example.com";
  s.beacon_visible_ms = visible_ms;
  s.beacon_interactions = interactions;
  return s;
}

TEST(ClassifyHit, ABeaconAfterRealUseIsAPerson) {
  const auto v = classify(beacon(4000, 3));
  EXPECT_FALSE(v.automated);
  EXPECT_FALSE(v.ignore);
  EXPECT_EQ(hit_rank(HitKind::kBeacon), 2);  // it proves the click
  // Not long enough on the page, or never used: it shows nothing either way.
  EXPECT_TRUE(classify(beacon(400, 3)).ignore);
  EXPECT_TRUE(classify(beacon(60000, 0)).ignore);
  // Even right after delivery and behind a busy address, a used page is a person.
  auto busy = beacon(4000, 3);
  busy.ip_recipients_recent = 50;
  EXPECT_FALSE(classify(busy).automated);
  EXPECT_EQ(classify(busy).suspect, "");
}

TEST(ClassifyHit, ABeaconFromElsewhereIsAMachine) {
  auto other = beacon(4000, 3);
  other.headers.origin = "https://evil.example";
  EXPECT_EQ(classify(other).reason, "a page beacon from another origin");
  auto site = beacon(4000, 3);
  site.headers.sec_fetch_site = "cross-site";
  EXPECT_EQ(classify(site).reason, "a page beacon from another site");
  auto get = beacon(4000, 3);
  get.method = "GET";
  EXPECT_EQ(classify(get).reason, "a page beacon is posted, never fetched");
  auto bot = beacon(4000, 3);
  bot.user_agent = "python-requests/2.31";
  EXPECT_TRUE(classify(bot).automated);
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
  EXPECT_EQ(hit_kind_event(HitKind::kBeacon), "viewed");
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
