#include "core/hit_classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

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
  }
  return "opened";
}

int hit_rank(HitKind kind) {
  switch (kind) {
    case HitKind::kOpen:
      return 1;
    case HitKind::kClick:
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

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_prefetch(std::string_view purpose) {
  const std::string p = lower(purpose);
  return p.find("prefetch") != std::string::npos || p.find("preview") != std::string::npos ||
         p.find("prerender") != std::string::npos;
}

}  // namespace

std::string_view scanner_token(std::string_view user_agent) {
  const std::string ua = lower(user_agent);
  for (const auto token : kScannerTokens) {
    if (ua.find(token) != std::string::npos) return token;
  }
  return {};
}

Verdict classify_hit(const HitSignals& hit, const ClassifierSettings& s) {
  if (hit.kind == HitKind::kDecoy) return {true, "followed the hidden decoy link"};
  if (hit.method == "HEAD") return {true, "HEAD request (link checkers, not browsers)"};
  if (is_prefetch(hit.purpose)) return {true, "prefetch or preview request"};
  // A report comes from a person pressing a button; only the checks above apply.
  if (hit.kind == HitKind::kReport) return {};
  if (hit.user_agent.empty()) return {true, "no user agent"};
  // Mail privacy proxies (Apple Mail) prefetch pixels with a bare user agent.
  if (hit.kind == HitKind::kOpen && hit.user_agent == "Mozilla/5.0") {
    return {true, "pixel prefetched by a mail privacy proxy (bare user agent)"};
  }
  if (const auto token = scanner_token(hit.user_agent); !token.empty()) {
    return {true, fmt::format("scanner or link-preview user agent ({})", token)};
  }
  if (hit.near_decoy) {
    return {true, fmt::format("the hidden decoy link of this message was followed within {} s",
                              s.decoy_window_seconds)};
  }
  // Opens are left out of the burst rules: colleagues behind one office
  // address open the same morning mail together; scanners click.
  // Only the hit that crosses a threshold marks the address's earlier hits:
  // later ones are caught by the rule itself.
  if (hit.kind != HitKind::kOpen && hit.ip_recipients_recent >= s.burst_recipients) {
    return {true,
            fmt::format("one address opened links of {} recipients within {} s",
                        hit.ip_recipients_recent, s.burst_window_seconds),
            hit.ip_recipients_recent == s.burst_recipients ? s.burst_window_seconds : 0};
  }
  if (hit.kind != HitKind::kOpen && hit.sweep_recipients >= s.sweep_recipients) {
    return {true,
            fmt::format("one address and browser opened links of {} recipients within {} s",
                        hit.sweep_recipients, s.sweep_window_seconds),
            hit.sweep_recipients == s.sweep_recipients ? s.sweep_window_seconds : 0};
  }
  if (hit.sent_at > 0 && hit.at >= hit.sent_at &&
      hit.at - hit.sent_at < s.delivery_window_seconds) {
    return {true, fmt::format("{} s after delivery, faster than a person reads mail",
                              hit.at - hit.sent_at)};
  }
  return {};
}

}  // namespace phishdrill
