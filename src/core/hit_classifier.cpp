#include "core/hit_classifier.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "core/ascii.h"

namespace phishdrill {

std::string_view hit_kind_event(HitKind kind) {
  switch (kind) {
    case HitKind::kOpen:
      return "opened";
    case HitKind::kClick:
      return "clicked";
    case HitKind::kSubmit:
      return "submitted";
    case HitKind::kReport:
      return "reported";
    case HitKind::kDecoy:
      return "decoy";
    case HitKind::kBeacon:
      return "viewed";
  }
  return "opened";
}

int hit_rank(HitKind kind) {
  switch (kind) {
    case HitKind::kOpen:
      return 1;
    case HitKind::kClick:
    case HitKind::kBeacon:
      return 2;
    case HitKind::kSubmit:
      return 3;
    case HitKind::kReport:
    case HitKind::kDecoy:
      return 0;
  }
  return 0;
}

namespace {

// Substrings (lower case) of user agents that only software sends: mail
// security gateways, link previewers, crawlers and HTTP libraries.
constexpr std::array<std::string_view, 44> kScannerTokens = {"proofpoint",
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

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool is_prefetch(std::string_view purpose) {
  const std::string p = ascii_lowercase(purpose);
  return contains(p, "prefetch") || contains(p, "preview") || contains(p, "prerender");
}

// Outlook for Windows downloads a message's images with Office's own HTTP
// stack ("compatible; ms-office; MSOffice 16") when the person reads the
// message: for an open that is the person, not Office's link probe.
bool is_outlook_image_fetch(const HitSignals& hit) {
  if (hit.kind != HitKind::kOpen) return false;
  const std::string ua = ascii_lowercase(hit.user_agent);
  return contains(ua, "ms-office") && !contains(ua, "existence");
}

// What a browser user agent says of itself; kNone for mail clients, image
// proxies, libraries and anything else that is not a browser.
struct Browser {
  enum Family { kNone, kChromium, kFirefox, kSafari, kIe } family = kNone;
  int major = 0;               // Chromium or Firefox major version
  bool plain_chromium = true;  // Chrome or Edge as shipped: sends client hints on https
  std::string_view platform;   // as Sec-CH-UA-Platform names it; "" when unknown
  bool mobile = false;
};

int version_after(std::string_view ua, std::string_view token) {
  const auto at = ua.find(token);
  if (at == std::string_view::npos) return 0;
  int major = 0;
  const char* begin = ua.data() + at + token.size();
  std::from_chars(begin, ua.data() + ua.size(), major);
  return major;
}

Browser parse_browser(std::string_view ua) {
  Browser b;
  if (!ua.starts_with("Mozilla/5.0 (") && !contains(ua, "Trident/7.0")) return b;
  // Mail clients' image proxies dress up as old browsers.
  for (auto proxy : {"GoogleImageProxy", "YahooMailProxy", "ggpht.com"}) {
    if (contains(ua, proxy)) return b;
  }
  const bool ios = contains(ua, "iPhone") || contains(ua, "iPad") || contains(ua, "iPod");
  if (contains(ua, "Android")) {
    b.platform = contains(ua, "X11") ? "" : "Android";
  } else if (contains(ua, "Windows NT")) {
    b.platform = "Windows";
  } else if (contains(ua, "CrOS")) {
    b.platform = "Chrome OS";
  } else if (contains(ua, "Macintosh")) {
    b.platform = "macOS";
  } else if (contains(ua, "Linux") || contains(ua, "X11")) {
    b.platform = "Linux";
  }
  b.mobile = contains(ua, "Mobile");
  if (contains(ua, "Trident/7.0")) {
    b.family = Browser::kIe;
  } else if (!ios && (contains(ua, "Chrome/") || contains(ua, "Chromium/"))) {
    b.family = Browser::kChromium;
    b.major = version_after(ua, contains(ua, "Chrome/") ? "Chrome/" : "Chromium/");
    // Other Chromium brands and embedded web views vary in what they send.
    for (auto other : {"SamsungBrowser", "OPR/", "YaBrowser", "Vivaldi", "UCBrowser", "; wv)",
                       "Electron", "Brave"}) {
      if (contains(ua, other)) b.plain_chromium = false;
    }
  } else if (!ios && contains(ua, "Firefox/")) {
    b.family = Browser::kFirefox;
    b.major = version_after(ua, "Firefox/");
  } else if (contains(ua, "Safari/") && contains(ua, "Version/") && !contains(ua, "Chrome/")) {
    b.family = Browser::kSafari;
  } else if (ios && contains(ua, "Safari/") &&
             (contains(ua, "CriOS/") || contains(ua, "FxiOS/") || contains(ua, "EdgiOS/"))) {
    b.family = Browser::kSafari;  // every iOS browser is WebKit underneath
  }
  return b;
}

// The major version Sec-CH-UA gives for Chromium ("Chromium";v="124"), or 0.
int hinted_chromium_major(std::string_view hints) {
  for (auto brand : {"\"Chromium\";v=\"", "\"Google Chrome\";v=\"", "\"Microsoft Edge\";v=\""}) {
    if (const int v = version_after(hints, brand); v > 0) return v;
  }
  return 0;
}

std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// Client hints, when present, must agree with the user agent.
std::string client_hint_mismatch(const HitSignals& hit, const Browser& b) {
  const HitHeaders& h = hit.headers;
  if (h.sec_ch_ua.empty()) return {};
  if (contains(ascii_lowercase(h.sec_ch_ua), "headless")) {
    return "client hints name a headless browser";
  }
  if (b.family != Browser::kChromium) {
    return "Chromium's client hints with a user agent of another browser";
  }
  const int hinted = hinted_chromium_major(h.sec_ch_ua);
  if (hinted > 0 && b.major > 0 && hinted != b.major) {
    return fmt::format("client hints say Chromium {}, the user agent Chrome {}", hinted, b.major);
  }
  const auto platform = unquote(h.sec_ch_ua_platform);
  // "Request desktop site" on Android keeps the Android hint with a Linux user agent.
  if (!platform.empty() && !b.platform.empty() && platform != b.platform &&
      !(platform == "Android" && b.platform == "Linux")) {
    return fmt::format("client hints say {}, the user agent {}", platform, b.platform);
  }
  if ((h.sec_ch_ua_mobile == "?1" && !b.mobile && b.platform != "Android") ||
      (h.sec_ch_ua_mobile == "?0" && b.mobile)) {
    return "client hints and user agent disagree on a mobile device";
  }
  return {};
}

}  // namespace

std::string_view scanner_token(std::string_view user_agent) {
  const std::string ua = ascii_lowercase(user_agent);
  for (const auto token : kScannerTokens) {
    if (ua.find(token) != std::string::npos) return token;
  }
  return {};
}

std::string browser_header_mismatch(const HitSignals& hit) {
  const Browser b = parse_browser(hit.user_agent);
  if (b.family == Browser::kNone) return {};
  const HitHeaders& h = hit.headers;
  if (h.accept_language.empty()) {
    return "a browser user agent without the Accept-Language header every browser sends";
  }
  if (auto mismatch = client_hint_mismatch(hit, b); !mismatch.empty()) return mismatch;
  const bool navigation = hit.kind == HitKind::kClick || hit.kind == HitKind::kSubmit;
  if (!navigation) return {};
  if (!contains(h.accept, "text/html")) {
    return "a browser asks for text/html when it opens a page; this request did not";
  }
  if (!h.sec_fetch_mode.empty() && h.sec_fetch_mode != "navigate") {
    return fmt::format("fetched in {} mode, not opened as a page", h.sec_fetch_mode);
  }
  if (!hit.secure_origin) return {};
  // Browsers send these to every https page they open.
  const bool fetch_metadata = (b.family == Browser::kChromium && b.major >= 80) ||
                              (b.family == Browser::kFirefox && b.major >= 90);
  if (fetch_metadata && b.plain_chromium && h.sec_fetch_mode.empty()) {
    return "a browser that sends Sec-Fetch-Mode to https pages did not";
  }
  if (b.family == Browser::kChromium && b.plain_chromium && b.major >= 90 && h.sec_ch_ua.empty()) {
    return "a Chrome user agent without the client hints Chrome sends to https pages";
  }
  return {};
}

namespace {

Verdict automated(std::string reason) { return {true, std::move(reason), {}, 0, false}; }

// Rules for the page beacon: Phishdrill's own script, posted from the
// landing page once a person has looked at it and used it.
Verdict classify_beacon(const HitSignals& hit, const ClassifierSettings& s) {
  if (hit.method != "POST") return automated("a page beacon is posted, never fetched");
  if (!hit.headers.origin.empty() && !ascii_iequals(hit.headers.origin, hit.own_origin)) {
    return automated("a page beacon from another origin");
  }
  if (!hit.headers.sec_fetch_site.empty() && hit.headers.sec_fetch_site != "same-origin") {
    return automated("a page beacon from another site");
  }
  if (hit.beacon_visible_ms < s.beacon_min_visible_ms ||
      hit.beacon_interactions < s.beacon_min_interactions) {
    Verdict v;
    v.ignore = true;  // shows nothing either way
    return v;
  }
  return {};
}

// Rules that look only at the address: suspect, never automated.
Verdict address_rules(const HitSignals& hit, const ClassifierSettings& s) {
  Verdict v;
  if (hit.kind != HitKind::kClick) return v;
  if (hit.ip_recipients_recent >= s.burst_recipients) {
    v.suspect = fmt::format("one address opened links of {} recipients within {} s",
                            hit.ip_recipients_recent, s.burst_window_seconds);
    if (hit.ip_recipients_recent == s.burst_recipients) {
      v.flag_address_back_seconds = s.burst_window_seconds;
    }
  } else if (hit.sweep_recipients >= s.sweep_recipients) {
    v.suspect = fmt::format("one address and browser opened links of {} recipients within {} s",
                            hit.sweep_recipients, s.sweep_window_seconds);
    if (hit.sweep_recipients == s.sweep_recipients) {
      v.flag_address_back_seconds = s.sweep_window_seconds;
    }
  }
  return v;
}

}  // namespace

Verdict classify_hit(const HitSignals& hit, const ClassifierSettings& s) {
  if (hit.kind == HitKind::kDecoy) return automated("followed the hidden decoy link");
  if (hit.method == "HEAD") return automated("HEAD request (link checkers, not browsers)");
  if (is_prefetch(hit.purpose)) return automated("prefetch or preview request");
  // A report comes from a person pressing a button; only the checks above apply.
  if (hit.kind == HitKind::kReport) return {};
  if (hit.user_agent.empty()) return automated("no user agent");
  // Mail privacy proxies (Apple Mail) prefetch pixels with a bare user agent.
  if (hit.kind == HitKind::kOpen && hit.user_agent == "Mozilla/5.0") {
    return automated("pixel prefetched by a mail privacy proxy (bare user agent)");
  }
  if (const auto token = scanner_token(hit.user_agent);
      !token.empty() && !is_outlook_image_fetch(hit)) {
    return automated(fmt::format("scanner or link-preview user agent ({})", token));
  }
  if (hit.kind == HitKind::kBeacon) return classify_beacon(hit, s);
  if (auto mismatch = browser_header_mismatch(hit); !mismatch.empty()) {
    return automated(std::move(mismatch));
  }
  if (hit.near_decoy) {
    return automated(
        fmt::format("the hidden decoy link of this message was followed within {} s from this "
                    "address and browser",
                    s.decoy_window_seconds));
  }
  if (hit.sent_at > 0 && hit.at >= hit.sent_at &&
      hit.at - hit.sent_at < s.delivery_window_seconds) {
    return automated(
        fmt::format("{} s after delivery, faster than a person reads mail", hit.at - hit.sent_at));
  }
  return address_rules(hit, s);
}

}  // namespace phishdrill
