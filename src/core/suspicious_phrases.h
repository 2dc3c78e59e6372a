// The words phishing mail uses on its reader, in English and Spanish: haste
// ("urgent", "within 24 hours"), threats ("will be suspended", "disciplinary
// action"), money ("wire transfer", "gift card", "bank details"), sign-in
// secrets ("verify your password"), and the Phish Scale's other language
// cues: legal small print, security badges ("virus-free"), generic
// greetings ("Dear customer"), prizes, limited-time offers, "selected just
// for you" and appeals to help. Kept in one table in suspicious_phrases.cpp
// so that adding a phrase or a language is one edit. Matching ignores case,
// accents and runs of whitespace (core/folded_text.h), and takes whole words
// only ("urgent" is not found in "insurgent"). Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace phishdrill {

enum class PhraseKind {
  kUrgency,
  kPayment,
  kCredential,
  kThreat,
  kLegal,
  kSecurityBadge,
  kGenericGreeting,
  kPrize,
  kLimitedTime,
  kSpecial,
  kAppeal,
};

struct PhraseMatch {
  PhraseKind kind = PhraseKind::kUrgency;
  std::string_view phrase;  // the table's spelling: lower case, no accents
};

// Each phrase of the table found in `text`, once, in table order, whatever
// its language. Reads the first 256 KiB of `text`.
std::vector<PhraseMatch> find_suspicious_phrases(std::string_view text);

}  // namespace phishdrill
