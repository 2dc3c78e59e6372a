#include "core/suspicious_phrases.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

#include "core/ascii.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxTextBytes = 256 * 1024;

struct Phrase {
  PhraseKind kind;
  std::string_view text;
};

using enum PhraseKind;

// The suspicious-phrase table: lower case, single spaces.
constexpr auto kSuspiciousPhrases = std::to_array<Phrase>({
    // Haste: the reader must act before thinking.
    {kUrgency, "urgent"},
    {kUrgency, "urgently"},
    {kUrgency, "immediately"},
    {kUrgency, "immediate action"},
    {kUrgency, "action required"},
    {kUrgency, "within 24 hours"},
    {kUrgency, "within 48 hours"},
    {kUrgency, "within 12 hours"},
    {kUrgency, "account will be suspended"},
    {kUrgency, "account has been suspended"},
    {kUrgency, "account will be closed"},
    {kUrgency, "account will be locked"},
    {kUrgency, "account has been locked"},
    {kUrgency, "will be deactivated"},
    {kUrgency, "will be terminated"},
    {kUrgency, "final notice"},
    {kUrgency, "final warning"},
    {kUrgency, "last warning"},
    {kUrgency, "last chance"},
    {kUrgency, "expires today"},
    {kUrgency, "act now"},
    {kUrgency, "as soon as possible"},
    {kUrgency, "time sensitive"},
    {kUrgency, "time-sensitive"},
    {kUrgency, "unusual activity"},
    {kUrgency, "unusual sign-in activity"},
    {kUrgency, "suspicious activity"},
    {kUrgency, "mailbox is full"},
    {kUrgency, "failure to comply"},
    // Money: payment redirection, gift-card and invoice fraud.
    {kPayment, "wire transfer"},
    {kPayment, "bank transfer"},
    {kPayment, "bank details"},
    {kPayment, "banking details"},
    {kPayment, "bank account details"},
    {kPayment, "new bank account"},
    {kPayment, "change of bank"},
    {kPayment, "gift card"},
    {kPayment, "gift cards"},
    {kPayment, "itunes card"},
    {kPayment, "steam card"},
    {kPayment, "payment overdue"},
    {kPayment, "overdue invoice"},
    {kPayment, "outstanding invoice"},
    {kPayment, "outstanding payment"},
    {kPayment, "update your payment"},
    {kPayment, "payment details"},
    {kPayment, "payment information"},
    {kPayment, "swift code"},
    {kPayment, "iban"},
    {kPayment, "bitcoin"},
    {kPayment, "crypto wallet"},
    // Sign-in secrets: a form that takes a password.
    {kCredential, "verify your password"},
    {kCredential, "confirm your password"},
    {kCredential, "re-enter your password"},
    {kCredential, "reset your password"},
    {kCredential, "your password expires"},
    {kCredential, "your password will expire"},
    {kCredential, "password has expired"},
    {kCredential, "verify your account"},
    {kCredential, "confirm your account"},
    {kCredential, "validate your account"},
    {kCredential, "verify your identity"},
    {kCredential, "confirm your identity"},
    {kCredential, "update your account"},
    {kCredential, "unlock your account"},
    {kCredential, "sign in to your account"},
    {kCredential, "log in to your account"},
    {kCredential, "login credentials"},
    {kCredential, "mailbox quota"},
    {kCredential, "enter your credentials"},
});

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

// Lower case, with every run of whitespace (and no-break spaces) one space.
std::string folded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = ascii_lower(text[i]);
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      c = ' ';
      ++i;
    }
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}

bool contains_words(std::string_view text, std::string_view phrase) {
  std::size_t from = 0;
  while (true) {
    const std::size_t at = text.find(phrase, from);
    if (at == std::string_view::npos) return false;
    const std::size_t end = at + phrase.size();
    const bool starts = at == 0 || !is_word_char(text[at - 1]);
    const bool ends = end == text.size() || !is_word_char(text[end]);
    if (starts && ends) return true;
    from = at + 1;
  }
}

}  // namespace

std::vector<PhraseMatch> find_suspicious_phrases(std::string_view text) {
  const std::string haystack = folded(text.substr(0, std::min(text.size(), kMaxTextBytes)));
  std::vector<PhraseMatch> found;
  for (const Phrase& phrase : kSuspiciousPhrases) {
    if (contains_words(haystack, phrase.text)) found.push_back({phrase.kind, phrase.text});
  }
  return found;
}

}  // namespace phishdrill
