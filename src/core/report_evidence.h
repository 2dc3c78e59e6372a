// The evidence an analyst needs about a reported message that is not one of
// our simulations, turned into an explainable score and a suggested verdict.
// Every finding names what was seen and adds points; the score is their sum,
// capped at 100, so the list is the explanation. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/reported_message.h"

namespace phishdrill {

// What the organisation is: its own mail domains (for look-alikes and
// spoofing) and its people's display names (for impersonation).
struct OrganisationProfile {
  std::vector<std::string> domains;       // lower case, e.g. "example.org"
  std::vector<std::string> people_names;  // "Ada Lovelace", as the directory has them
};

enum class Verdict { kNone, kClean, kSpam, kThreat };

struct Finding {
  std::string code;    // stable, e.g. "reply_to_mismatch", "dmarc_fail", "lookalike_domain"
  std::string detail;  // for a person, e.g. "Reply-To payroll@exarnple.org differs from From"
  int points = 0;      // added to the score (0 for a finding that lowers nothing and adds nothing)
};

struct Evidence {
  std::vector<Finding> findings;       // in the order they were checked
  int score = 0;                       // 0..100
  Verdict suggested = Verdict::kNone;  // kThreat from 60, kSpam from 25, kClean below
  // What an analyst exports: the message's link targets (unwrapped), their
  // domains, the sender's address and domain, and attachment digests.
  std::vector<std::string> urls;     // deduplicated; only those with a host (no mailto:, cid:)
  std::vector<std::string> domains;  // the sender's, then the links'; lower case, deduplicated,
                                     // IP addresses left out (they are in `urls`)
  std::string sender;                // the From address ("" when none)
  std::vector<std::string> attachment_sha256;  // as the message lists them, deduplicated
};

// Judges the sender (Reply-To and Return-Path against From, the topmost
// Authentication-Results, our own domain sent without passing DMARC or SPF,
// a display name of one of our people from outside, look-alike domains), the
// links (unwrapped: look-alikes, shown text naming another domain, IP
// addresses, shorteners), the attachments (active content, macros, archives,
// disguised names) and the words (haste, money, passwords). A code scores
// once: a second finding with the same code is listed with 0 points. Reads at
// most 500 links, 100 attachments and 5 findings per code.
Evidence judge_reported_message(const ReportedMessage& message, const OrganisationProfile& org);

// "clean", "spam", "threat" ("" for kNone), and back (nullopt-like kNone for unknown text).
const char* verdict_name(Verdict verdict);
Verdict verdict_from_name(std::string_view name);

}  // namespace phishdrill
