#include "core/report_evidence.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/ascii.h"
#include "core/attachment_risk.h"
#include "core/authentication_results.h"
#include "core/code_points.h"
#include "core/email_address.h"
#include "core/folded_text.h"
#include "core/idna.h"
#include "core/link_text_host.h"
#include "core/link_unwrap.h"
#include "core/lookalike_domain.h"
#include "core/network_address.h"
#include "core/registrable_domain.h"
#include "core/suspicious_phrases.h"
#include "core/url_parts.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxLinks = 500;
constexpr std::size_t kMaxAttachments = 100;
constexpr std::size_t kMaxFindingsPerCode = 5;
constexpr std::size_t kMaxShownBytes = 200;  // of outside text quoted in a detail
constexpr int kMaxScore = 100;
constexpr int kThreatFrom = 60;
constexpr int kSpamFrom = 25;

// Points per finding code. Chosen so that failing DMARC (30) with a
// look-alike link (35) is a threat on its own, that language alone (at most
// 10 + 15 + 20) stays below a threat, and that what legitimate bulk mail
// often shows (a bounce domain of its own, no DKIM, an archive) stays small.
namespace points {
constexpr int kReplyToMismatch = 15;
constexpr int kReturnPathMismatch = 5;
constexpr int kSpfFail = 15;
constexpr int kSpfSoftFail = 10;
constexpr int kDkimFail = 15;
constexpr int kDmarcFail = 30;
constexpr int kAuthNone = 5;
constexpr int kOwnDomainSpoof = 40;
constexpr int kDisplayNameImpersonation = 30;
constexpr int kDisplayNameAddress = 20;
constexpr int kLookalikeDomain = 35;
constexpr int kLinkTextMismatch = 25;
constexpr int kIpAddressLink = 20;
constexpr int kUrlShortener = 10;
constexpr int kRiskyAttachment = 35;
constexpr int kMacroAttachment = 30;
constexpr int kArchiveAttachment = 10;
constexpr int kDisguisedExtension = 35;
constexpr int kUrgencyLanguage = 10;
constexpr int kPaymentLanguage = 15;
constexpr int kCredentialLanguage = 20;
}  // namespace points

// Services whose short links hide where they lead until clicked.
constexpr auto kUrlShorteners = std::to_array<std::string_view>(
    {"bit.ly", "bitly.com", "buff.ly", "cutt.ly",     "is.gd",   "lnkd.in",
     "ow.ly",  "qrco.de",   "rb.gy",   "rebrand.ly",  "s.id",    "shorturl.at",
     "t.co",   "t.ly",      "tiny.cc", "tinyurl.com", "v.gd",    "goo.gl",
     "bl.ink", "shorte.st", "adf.ly",  "tiny.one",    "urlz.fr", "2u.pw"});

// The findings so far, each code scoring once.
class Findings {
 public:
  void add(std::string code, std::string detail, int points) {
    std::size_t& seen = counts_[code];
    if (seen >= kMaxFindingsPerCode) return;
    const int scored = seen == 0 ? points : 0;
    ++seen;
    list_.push_back({std::move(code), std::move(detail), scored});
  }
  std::vector<Finding> take() { return std::move(list_); }

 private:
  std::map<std::string, std::size_t> counts_;
  std::vector<Finding> list_;
};

// Outside text quoted in a detail: valid UTF-8, one line, bounded.
std::string shown(std::string_view text) {
  std::string safe = valid_utf8(utf8_prefix(text, kMaxShownBytes));
  for (char& c : safe) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return text.size() > kMaxShownBytes ? safe + "…" : safe;
}

bool is_ip_host(std::string_view host) {
  return parse_ip(host).has_value() || parse_ipv4_any_notation(host).has_value();
}

// A domain in the one form both sides can be compared in: an A-label
// ("xn--bcher-kva.example") and its Unicode form ("bücher.example") are one.
std::string comparable_domain(std::string_view domain) {
  if (is_ascii(domain) && domain.find("xn--") == std::string_view::npos) {
    return ascii_lowercase(domain);
  }
  const auto unicode = domain_to_unicode(domain);
  return unicode ? *unicode : ascii_lowercase(domain);
}

bool is_ours(std::string_view domain, const OrganisationProfile& org) {
  const std::string mine = comparable_domain(domain);
  return std::ranges::any_of(org.domains, [&](const std::string& own) {
    return is_same_or_subdomain(mine, comparable_domain(own));
  });
}

bool same_organisation(std::string_view a, std::string_view b) {
  return registrable_domain(a) == registrable_domain(b);
}

// What the judge knows about the sender.
struct Sender {
  std::string address;
  std::string domain;  // lower case; "" when there is no From address
};

// Reply-To and Return-Path are compared by organisation (registrable
// domain), as DMARC's relaxed alignment does: news.example.com replying via
// support.example.com is one sender.
void check_reply_paths(const ReportedMessage& message, const Sender& sender, Findings& findings) {
  if (sender.domain.empty()) return;
  const std::string reply_to = address_domain(message.reply_to);
  if (!reply_to.empty() && !same_organisation(reply_to, sender.domain)) {
    findings.add("reply_to_mismatch",
                 "Reply-To " + shown(message.reply_to) + " is at another domain than From " +
                     shown(sender.address),
                 points::kReplyToMismatch);
  }
  const std::string return_path = address_domain(message.return_path);
  if (!return_path.empty() && !same_organisation(return_path, sender.domain)) {
    findings.add("return_path_mismatch",
                 "Return-Path " + shown(message.return_path) + " is at another domain than From " +
                     shown(sender.address),
                 points::kReturnPathMismatch);
  }
}

struct MethodCheck {
  std::string_view method;  // "spf"
  std::string_view label;   // "SPF"
  int fail_points = 0;
  int softfail_points = 0;
};

void check_method(const MethodCheck& check, const MethodResult& result, Findings& findings) {
  const std::string about =
      result.domain.empty() ? std::string() : " (for " + shown(result.domain) + ")";
  const std::string method(check.method);
  const std::string label(check.label);
  switch (result.outcome) {
    case AuthOutcome::kFail:
      findings.add(method + "_fail", label + " failed" + about, check.fail_points);
      break;
    case AuthOutcome::kSoftFail:
      findings.add(method + "_softfail", label + " soft-failed" + about, check.softfail_points);
      break;
    case AuthOutcome::kNone:
      findings.add(method + "_none", label + " gave no result (none)" + about, points::kAuthNone);
      break;
    default:
      break;
  }
}

// Only the topmost Authentication-Results counts: our own receiving server
// added it last, on top. Any value below it may have been written by the
// sender (or a relay they control) to look authenticated, so it is ignored.
std::optional<AuthenticationResults> topmost_results(const ReportedMessage& message) {
  if (message.authentication_results.empty()) return std::nullopt;
  return parse_authentication_results(message.authentication_results.front());
}

bool passed(AuthOutcome outcome) { return outcome == AuthOutcome::kPass; }

// Mail From one of our domains that DMARC (or, without a DMARC result, SPF)
// did not pass is someone else using our name.
void check_own_domain_spoof(const AuthenticationResults& results, const Sender& sender,
                            const OrganisationProfile& org, Findings& findings) {
  if (sender.domain.empty() || !is_ours(sender.domain, org)) return;
  const bool has_dmarc = results.dmarc.outcome != AuthOutcome::kAbsent;
  const MethodResult& deciding = has_dmarc ? results.dmarc : results.spf;
  if (deciding.outcome == AuthOutcome::kAbsent || passed(deciding.outcome)) return;
  findings.add("own_domain_spoof",
               "From " + shown(sender.address) + " uses our own domain, but " +
                   (has_dmarc ? "DMARC" : "SPF") + " did not pass (" +
                   auth_outcome_name(deciding.outcome) + ")",
               points::kOwnDomainSpoof);
}

void check_authentication(const ReportedMessage& message, const Sender& sender,
                          const OrganisationProfile& org, Findings& findings) {
  const auto results = topmost_results(message);
  if (!results) return;
  check_method({"spf", "SPF", points::kSpfFail, points::kSpfSoftFail}, results->spf, findings);
  check_method({"dkim", "DKIM", points::kDkimFail, points::kDkimFail}, results->dkim, findings);
  check_method({"dmarc", "DMARC", points::kDmarcFail, points::kDmarcFail}, results->dmarc,
               findings);
  check_own_domain_spoof(*results, sender, org, findings);
}

void check_display_name(const ReportedMessage& message, const Sender& sender,
                        const OrganisationProfile& org, Findings& findings) {
  if (sender.domain.empty() || message.from_name.empty() || is_ours(sender.domain, org)) return;
  const std::u32string key = folded_text(message.from_name);
  const bool is_our_person =
      !key.empty() &&
      std::ranges::any_of(org.people_names, [&](const auto& n) { return folded_text(n) == key; });
  if (is_our_person) {
    findings.add("display_name_impersonation",
                 "From shows the name of " + shown(message.from_name) +
                     ", one of our people, but is sent from " + shown(sender.address),
                 points::kDisplayNameImpersonation);
  }
  const std::string written = address_in_display_name(message.from_name);
  if (!written.empty() && !same_organisation(address_domain(written), sender.domain)) {
    findings.add(
        "display_name_address",
        "From shows the address " + shown(written) + " but is sent from " + shown(sender.address),
        points::kDisplayNameAddress);
  }
}

void check_lookalike(std::string_view domain, std::string_view where,
                     const OrganisationProfile& org, Findings& findings) {
  if (domain.empty()) return;
  const auto lookalike = find_lookalike(domain, org.domains);
  if (!lookalike) return;
  // An A-label means nothing to a person: show what it reads as, too.
  const auto unicode =
      domain.find("xn--") == std::string_view::npos ? std::nullopt : domain_to_unicode(domain);
  const std::string reads_as = unicode ? " (" + shown(*unicode) + ")" : "";
  findings.add("lookalike_domain",
               std::string(where) + " domain " + shown(domain) + reads_as + " imitates our " +
                   shown(lookalike->own_domain) + ": it " + lookalike->how,
               points::kLookalikeDomain);
}

void check_sender(const ReportedMessage& message, const Sender& sender,
                  const OrganisationProfile& org, Findings& findings) {
  check_reply_paths(message, sender, findings);
  check_authentication(message, sender, org, findings);
  check_display_name(message, sender, org, findings);
  check_lookalike(sender.domain, "From", org, findings);
  const std::string reply_to = address_domain(message.reply_to);
  if (reply_to != sender.domain) check_lookalike(reply_to, "Reply-To", org, findings);
}

// The message's link targets and their domains, deduplicated in order.
struct Collected {
  std::vector<std::string> urls;
  std::vector<std::string> domains;
  std::set<std::string> seen_urls;
  std::set<std::string> seen_domains;
  std::set<std::string> judged_hosts;  // hosts already checked for look-alikes

  void add_domain(const std::string& domain) {
    if (!domain.empty() && !is_ip_host(domain) && seen_domains.insert(domain).second) {
      domains.push_back(domain);
    }
  }
  void add_url(const std::string& url) {
    if (seen_urls.insert(url).second) urls.push_back(url);
  }
};

bool is_shortener(std::string_view host) {
  return std::ranges::any_of(kUrlShorteners,
                             [&](std::string_view shortener) { return host == shortener; });
}

void check_shown_text(const ReportedLink& link, std::string_view target, std::string_view host,
                      Findings& findings) {
  if (link.image || link.text.empty()) return;
  const std::string named = host_named_by_text(link.text);
  if (named.empty() || same_organisation(named, host)) return;
  findings.add("link_text_mismatch",
               "A link shows " + shown(named) + " but goes to " + shown(target),
               points::kLinkTextMismatch);
}

void check_link(const ReportedLink& link, const OrganisationProfile& org, Collected& collected,
                Findings& findings) {
  const std::string target = unwrap_link(link.href);
  const std::string host = link_host(target);
  if (host.empty()) return;  // mailto:, cid:, a fragment: nothing to follow
  collected.add_url(target);
  collected.add_domain(host);
  check_shown_text(link, target, host, findings);
  if (!collected.judged_hosts.insert(host).second) return;
  if (is_ip_host(host)) {
    findings.add("ip_address_link", "A link goes to an IP address: " + shown(target),
                 points::kIpAddressLink);
  } else if (is_shortener(host)) {
    findings.add("url_shortener", "A link goes through the URL shortener " + shown(host),
                 points::kUrlShortener);
  } else {
    check_lookalike(host, "Link", org, findings);
  }
}

void check_attachment(const ReportedAttachment& attachment, Findings& findings) {
  const std::string name = attachment.name.empty() ? "(no name)" : shown(attachment.name);
  const std::string type =
      attachment.content_type.empty() ? "" : " (" + shown(attachment.content_type) + ")";
  switch (attachment_risk(attachment.name, attachment.content_type)) {
    case AttachmentRisk::kActiveContent:
      findings.add("risky_attachment",
                   "Attachment " + name + type + " runs or renders code when opened",
                   points::kRiskyAttachment);
      break;
    case AttachmentRisk::kMacroDocument:
      findings.add("macro_attachment", "Attachment " + name + " is an Office document with macros",
                   points::kMacroAttachment);
      break;
    case AttachmentRisk::kArchive:
      findings.add("archive_attachment",
                   "Attachment " + name + " is an archive that hides its contents",
                   points::kArchiveAttachment);
      break;
    case AttachmentRisk::kNone:
      break;
  }
  if (has_disguised_extension(attachment.name)) {
    findings.add("double_extension", "Attachment " + name + " disguises its file type",
                 points::kDisguisedExtension);
  }
}

struct LanguageCheck {
  PhraseKind kind;
  std::string_view code;
  std::string_view what;
  int points = 0;
};

constexpr auto kLanguageChecks = std::to_array<LanguageCheck>({
    {PhraseKind::kUrgency, "urgency_language", "Presses for haste", points::kUrgencyLanguage},
    {PhraseKind::kPayment, "payment_language", "Asks about money", points::kPaymentLanguage},
    {PhraseKind::kCredential, "credential_language", "Asks for sign-in details",
     points::kCredentialLanguage},
});

void check_language(const ReportedMessage& message, Findings& findings) {
  const std::vector<PhraseMatch> matches =
      find_suspicious_phrases(message.subject + "\n" + message.text);
  for (const LanguageCheck& check : kLanguageChecks) {
    std::string quoted;
    for (const PhraseMatch& match : matches) {
      if (match.kind != check.kind) continue;
      quoted += (quoted.empty() ? "\"" : ", \"") + std::string(match.phrase) + "\"";
    }
    if (!quoted.empty()) {
      findings.add(std::string(check.code), std::string(check.what) + ": " + quoted, check.points);
    }
  }
}

Verdict verdict_for(int score) {
  if (score >= kThreatFrom) return Verdict::kThreat;
  if (score >= kSpamFrom) return Verdict::kSpam;
  return Verdict::kClean;
}

std::vector<std::string> attachment_digests(const ReportedMessage& message) {
  std::vector<std::string> digests;
  for (const auto& attachment : message.attachments) {
    if (digests.size() >= kMaxAttachments) break;
    if (!attachment.sha256.empty() &&
        std::ranges::find(digests, attachment.sha256) == digests.end()) {
      digests.push_back(attachment.sha256);
    }
  }
  return digests;
}

}  // namespace

Evidence judge_reported_message(const ReportedMessage& message, const OrganisationProfile& org) {
  const Sender sender{message.from_address, address_domain(message.from_address)};
  Findings findings;
  Collected collected;
  collected.add_domain(sender.domain);
  check_sender(message, sender, org, findings);
  const std::size_t links = std::min(message.links.size(), kMaxLinks);
  for (std::size_t i = 0; i < links; ++i) check_link(message.links[i], org, collected, findings);
  const std::size_t attachments = std::min(message.attachments.size(), kMaxAttachments);
  for (std::size_t i = 0; i < attachments; ++i) check_attachment(message.attachments[i], findings);
  check_language(message, findings);

  Evidence evidence;
  evidence.findings = findings.take();
  int total = 0;
  for (const Finding& finding : evidence.findings) total += finding.points;
  evidence.score = std::min(total, kMaxScore);
  evidence.suggested = verdict_for(evidence.score);
  evidence.urls = std::move(collected.urls);
  evidence.domains = std::move(collected.domains);
  evidence.sender = message.from_address;
  evidence.attachment_sha256 = attachment_digests(message);
  return evidence;
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kClean:
      return "clean";
    case Verdict::kSpam:
      return "spam";
    case Verdict::kThreat:
      return "threat";
    case Verdict::kNone:
      return "";
  }
  return "";
}

Verdict verdict_from_name(std::string_view name) {
  for (const Verdict verdict : {Verdict::kClean, Verdict::kSpam, Verdict::kThreat}) {
    if (name == verdict_name(verdict)) return verdict;
  }
  return Verdict::kNone;
}

}  // namespace phishdrill
