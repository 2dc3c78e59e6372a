#include "core/phish_cues.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "core/ascii.h"
#include "core/attachment_risk.h"
#include "core/code_points.h"
#include "core/email_address.h"
#include "core/folded_text.h"
#include "core/link_text_host.h"
#include "core/lookalike_domain.h"
#include "core/phish_scale.h"
#include "core/registrable_domain.h"
#include "core/suspicious_phrases.h"
#include "core/text_rules.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxShown = 80;

// Quoted for a person, cut to a readable length.
std::string quoted(std::string_view text) {
  std::string out(text.substr(0, std::min(text.size(), kMaxShown)));
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  return "\"" + out + (text.size() > kMaxShown ? "…\"" : "\"");
}

bool is_ours(std::string_view domain, const std::vector<std::string>& own) {
  return std::ranges::any_of(
      own, [&](const std::string& d) { return is_same_or_subdomain(domain, ascii_lowercase(d)); });
}

// Collects cues, at most kMaxCuesPerType of a type, none twice.
class Found {
 public:
  void add(std::string_view type, std::string where) {
    auto& list = by_type_[std::string(type)];
    if (list.size() >= static_cast<std::size_t>(kMaxCuesPerType)) return;
    if (std::ranges::find(list, where) != list.end()) return;
    list.push_back(std::move(where));
  }

  std::vector<FoundCue> in_scale_order() const {
    std::vector<FoundCue> out;
    for (const CueType& type : phish_cue_types()) {
      const auto it = by_type_.find(std::string(type.name));
      if (it == by_type_.end()) continue;
      for (const auto& where : it->second) out.push_back({std::string(type.name), where});
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<std::string>> by_type_;
};

bool is_bare_url_to_itself(const CueLink& link) {
  const std::string text = trim(link.text);
  return !text.empty() && text == trim(link.href);
}

void check_links(const CueMessage& m, Found& found) {
  for (const CueLink& link : m.links) {
    if (is_bare_url_to_itself(link)) continue;
    const std::string text = trim(link.text);
    found.add("url_hyperlinking",
              text.empty() ? "an image links to a hidden address" : "the link " + quoted(text));
  }
}

void check_lookalike(std::string_view domain, std::string_view what, const CueMessage& m,
                     Found& found) {
  if (domain.empty() || m.own_domains.empty()) return;
  const auto lookalike = find_lookalike(domain, m.own_domains);
  if (!lookalike) return;
  found.add("domain_spoofing", std::string(what) + " " + std::string(domain) + " imitates " +
                                   lookalike->own_domain + ": it " + lookalike->how);
}

void check_domains(const CueMessage& m, Found& found) {
  check_lookalike(address_domain(m.from_address), "the sender's domain", m, found);
  check_lookalike(address_domain(m.reply_to), "the Reply-To domain", m, found);
  for (const CueLink& link : m.links) {
    check_lookalike(host_named_by_text(link.text), "the link text's domain", m, found);
  }
}

// The words of `text` (letters and digits), folded.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char32_t c : folded_text(text)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += static_cast<char>(c);
      continue;
    }
    if (!word.empty()) words.push_back(word);
    word.clear();
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// A word of the name of three letters or more inside the address
// ("Service Desk" <servicedesk@…>), or a shorter one that is a whole word of
// it ("IT Desk" <it@…>).
bool shares_a_word(std::string_view name, std::string_view address) {
  const std::string folded_address = ascii_lowercase(address);
  const std::vector<std::string> address_words = words_of(address);
  return std::ranges::any_of(words_of(name), [&](const std::string& w) {
    if (w.size() >= 3) return folded_address.find(w) != std::string::npos;
    return w.size() == 2 && std::ranges::find(address_words, w) != address_words.end();
  });
}

void check_reply_to(const CueMessage& m, Found& found) {
  const std::string domain = address_domain(m.from_address);
  const std::string reply_domain = address_domain(m.reply_to);
  if (!reply_domain.empty() && !domain.empty() &&
      registrable_domain(reply_domain) != registrable_domain(domain)) {
    found.add("display_name_mismatch",
              "replies go to " + reply_domain + ", not to the sender's " + domain);
  }
}

void check_sender_name(const CueMessage& m, Found& found) {
  check_reply_to(m, found);
  const std::string domain = address_domain(m.from_address);
  if (m.from_name.empty() || domain.empty()) return;
  const std::string written = address_in_display_name(m.from_name);
  if (!written.empty() && written != ascii_lowercase(m.from_address)) {
    found.add("display_name_mismatch",
              "the sender's name shows " + written + " but the mail is from " + m.from_address);
  } else if (!m.org_name.empty() && folded_contains(m.from_name, m.org_name) &&
             !m.own_domains.empty() && !is_ours(domain, m.own_domains)) {
    found.add("display_name_mismatch", "the sender's name claims " + quoted(m.org_name) +
                                           " but the address is at " + domain);
  } else if (!shares_a_word(m.from_name, m.from_address)) {
    found.add("display_name_mismatch", "the sender's name " + quoted(m.from_name) +
                                           " has nothing in common with " + m.from_address);
  }
}

void check_attachments(const CueMessage& m, Found& found) {
  for (const CueAttachment& a : m.attachments) {
    const AttachmentRisk risk = attachment_risk(a.name, a.content_type);
    if (risk == AttachmentRisk::kNone) continue;
    const std::string_view why = risk == AttachmentRisk::kArchive         ? "an archive"
                                 : risk == AttachmentRisk::kMacroDocument ? "a document with macros"
                                                                          : "a file that runs or "
                                                                            "renders content";
    found.add("attachment_type", "the attachment " + quoted(a.name) + " is " + std::string(why));
  }
}

bool names_the_person(std::string_view text) {
  for (std::string_view var :
       {"{{.FirstName}}", "{{.LastName}}", "{{ .FirstName }}", "{{ .LastName }}"}) {
    if (text.find(var) != std::string_view::npos) return true;
  }
  return false;
}

constexpr auto kGreetings = std::to_array<std::string_view>(
    {"hi",           "hello",     "hey",     "dear",        "good morning",  "good afternoon",
     "good evening", "greetings", "hola",    "estimado",    "estimada",      "estimados",
     "estimadas",    "querido",   "querida", "buenos dias", "buenas tardes", "buenas noches",
     "apreciado",    "apreciada"});

std::string first_line(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line = trim(text.substr(start, end - start));
    if (!line.empty()) return line;
    start = end + 1;
  }
  return {};
}

bool starts_with_greeting(std::string_view line) {
  const std::string folded = to_utf8(folded_text(line));
  return std::ranges::any_of(kGreetings, [&](std::string_view g) {
    return folded.starts_with(g) &&
           (folded.size() == g.size() || folded[g.size()] < 'a' || folded[g.size()] > 'z');
  });
}

void check_greeting(const CueMessage& m, const std::vector<PhraseMatch>& phrases, Found& found) {
  for (const PhraseMatch& p : phrases) {
    if (p.kind == PhraseKind::kGenericGreeting) {
      found.add("generic_greeting", "the greeting " + quoted(p.phrase));
      return;
    }
  }
  if (names_the_person(m.subject) || names_the_person(m.text)) return;
  const std::string line = first_line(m.text);
  found.add("generic_greeting", starts_with_greeting(line)
                                    ? "the greeting " + quoted(line) + " does not name the person"
                                    : "no greeting and the person's name nowhere");
}

std::string_view cue_for(PhraseKind kind) {
  switch (kind) {
    case PhraseKind::kUrgency:
      return "sense_of_urgency";
    case PhraseKind::kThreat:
      return "threatening_language";
    case PhraseKind::kPayment:
    case PhraseKind::kCredential:
      return "requests_sensitive_info";
    case PhraseKind::kLegal:
      return "legal_language";
    case PhraseKind::kSecurityBadge:
      return "security_indicators";
    case PhraseKind::kPrize:
      return "too_good_to_be_true";
    case PhraseKind::kLimitedTime:
      return "limited_time_offer";
    case PhraseKind::kSpecial:
      return "you_are_special";
    case PhraseKind::kAppeal:
      return "humanitarian_appeal";
    case PhraseKind::kGenericGreeting:
      return "";
  }
  return "";
}

void check_phrases(const std::vector<PhraseMatch>& phrases, Found& found) {
  for (const PhraseMatch& p : phrases) {
    const std::string_view type = cue_for(p.kind);
    if (!type.empty()) found.add(type, quoted(p.phrase));
  }
}

// A file name or a domain ("report.pdf", "mail.example.org"): a dot with a
// letter or digit on each side.
bool has_inner_dot(std::string_view token) {
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  for (std::size_t i = 1; i + 1 < token.size(); ++i) {
    if (token[i] == '.' && alnum(token[i - 1]) && alnum(token[i + 1])) return true;
  }
  return false;
}

// `text` with every template action ({{ ... }}) a space.
std::string without_actions(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("{{", i);
    out.append(text.substr(i, open == std::string_view::npos ? text.npos : open - i));
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find("}}", open);
    i = close == std::string_view::npos ? text.size() : close + 2;
    out += ' ';
  }
  return out;
}

// The text without template actions, URLs and addresses.
std::string prose_of(std::string_view source) {
  const std::string text = without_actions(source);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = std::min(text.find_first_of(" \t\r\n", i), text.size());
    const std::string_view token = std::string_view(text).substr(i, end - i);
    const bool address_like = token.find("://") != std::string_view::npos ||
                              token.find('@') != std::string_view::npos ||
                              token.starts_with("www.") || has_inner_dot(token);
    if (!address_like) out += token;
    out += ' ';
    i = end == text.size() ? end : end + 1;
  }
  return out;
}

bool is_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

bool is_lower_word(std::u32string_view word) {
  return std::ranges::none_of(
      word, [](char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE); });
}

// Lower-case words only: names, acronyms and sentence starts are left to
// the author, since a dictionary does not know the organisation's names.
void check_spelling(const CueMessage& m, const SpellChecker& speller, Found& found) {
  const std::u32string prose = to_code_points(prose_of(m.subject + "\n" + m.text));
  const std::u32string org = folded_text(m.org_name);
  std::set<std::u32string> seen;
  std::size_t i = 0;
  while (i < prose.size()) {
    if (!is_letter(prose[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < prose.size() &&
           (is_letter(prose[end]) ||
            (prose[end] == '\'' && end + 1 < prose.size() && is_letter(prose[end + 1])))) {
      ++end;
    }
    const bool glued = end < prose.size() && prose[end] >= '0' && prose[end] <= '9';
    const std::u32string word = prose.substr(i, end - i);
    i = end;
    if (glued || word.size() < 3 || !is_lower_word(word) || !seen.insert(word).second) continue;
    if (!org.empty() && org.find(word) != std::u32string::npos) continue;
    const std::string spelled = to_utf8(word);
    if (!speller.knows(spelled)) found.add("spelling_grammar", "the word " + quoted(spelled));
  }
}

}  // namespace

std::vector<FoundCue> detect_cues(const CueMessage& message, const SpellChecker* speller) {
  Found found;
  // Subject and body apart, so that no phrase runs from one into the other.
  std::vector<PhraseMatch> phrases = find_suspicious_phrases(message.subject);
  for (const PhraseMatch& p : find_suspicious_phrases(message.text)) {
    const bool seen = std::ranges::any_of(
        phrases, [&](const PhraseMatch& q) { return q.kind == p.kind && q.phrase == p.phrase; });
    if (!seen) phrases.push_back(p);
  }
  check_links(message, found);
  check_domains(message, found);
  check_sender_name(message, found);
  check_attachments(message, found);
  check_greeting(message, phrases, found);
  check_phrases(phrases, found);
  if (speller != nullptr) check_spelling(message, *speller, found);
  return found.in_scale_order();
}

}  // namespace phishdrill
