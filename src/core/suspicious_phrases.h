// The words that pressure a reader in phishing mail: haste ("urgent",
// "within 24 hours", "account will be suspended"), money ("wire transfer",
// "gift card", "bank details") and sign-in secrets ("verify your password").
// English only, kept in one table in suspicious_phrases.cpp so that adding a
// phrase or a language is one edit. Matching ignores ASCII case and runs of
// whitespace, and takes whole words only ("urgent" is not found in
// "insurgent"). Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace phishdrill {

enum class PhraseKind { kUrgency, kPayment, kCredential };

struct PhraseMatch {
  PhraseKind kind = PhraseKind::kUrgency;
  std::string_view phrase;  // the table's spelling, lower case
};

// Each phrase of the table found in `text`, once, in table order. Reads the
// first 256 KiB of `text`.
std::vector<PhraseMatch> find_suspicious_phrases(std::string_view text);

}  // namespace phishdrill
