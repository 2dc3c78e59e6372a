// The Phish Scale cues (core/phish_scale.h) a program can see in a message
// itself, each with where it shows:
//  - url_hyperlinking: a link whose shown text hides where it goes (any
//    link but a bare URL to itself), once per link;
//  - domain_spoofing: a sender, Reply-To or shown link domain that imitates
//    one of the organisation's own (core/lookalike_domain.h);
//  - display_name_mismatch: a sender name that names another address, or
//    claims the organisation while writing from elsewhere, or has nothing
//    in common with its address; a Reply-To in another organisation;
//  - attachment_type: each attachment that runs or renders content
//    (core/attachment_risk.h);
//  - generic_greeting: "Dear customer", or neither a greeting nor the
//    person's name anywhere;
//  - sense_of_urgency, threatening_language, requests_sensitive_info
//    (sign-in secrets, personal data or money), legal_language,
//    security_indicators, too_good_to_be_true, limited_time_offer,
//    you_are_special, humanitarian_appeal: phrases of
//    core/suspicious_phrases.h in the subject or text;
//  - spelling_grammar: lower-case words (file names, domains, addresses and
//    template actions aside) the language's dictionary does not know, when
//    a SpellChecker is given.
// The other cue types (branding, design, inconsistency, premise tactics)
// need a person's eye: authors confirm them. Each type counts at most
// kMaxCuesPerType times, so one noisy detector cannot decide a rating.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace phishdrill {

inline constexpr int kMaxCuesPerType = 3;

// Whether a word is spelled right in one language (an adapter over a real
// dictionary: spelling/hunspell_checker.h). Implementations are
// thread-safe.
class SpellChecker {
 public:
  virtual ~SpellChecker() = default;
  virtual bool knows(std::string_view word) const = 0;
};

struct CueLink {
  std::string href;  // as written (a template variable such as {{.URL}} included)
  std::string text;  // the text it shows
};

struct CueAttachment {
  std::string name;
  std::string content_type;
};

// A message as a reader sees it, variables other than the person's left as
// written ({{.FirstName}} shows the greeting is personal).
struct CueMessage {
  std::string from_name;
  std::string from_address;
  std::string reply_to;  // address, or ""
  std::string subject;
  std::string text;  // what the body shows (the HTML's text, else the text part)
  std::vector<CueLink> links;
  std::vector<CueAttachment> attachments;
  std::vector<std::string> own_domains;  // the organisation's domains
  std::string org_name;                  // "" when unknown
};

struct FoundCue {
  std::string type;   // a cue type of core/phish_scale.h
  std::string where;  // for a person: what in the message shows it
};

// The cues found, grouped by type in the scale's order.
std::vector<FoundCue> detect_cues(const CueMessage& message, const SpellChecker* speller);

}  // namespace phishdrill
