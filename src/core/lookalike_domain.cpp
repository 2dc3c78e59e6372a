#include "core/lookalike_domain.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "core/ascii.h"
#include "core/code_points.h"
#include "core/idna.h"
#include "core/latin_base_letter.h"
#include "core/network_address.h"
#include "core/registrable_domain.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxDomainBytes = 253;
constexpr std::size_t kMaxLabelChars = 63;
// Names shorter than this are one edit away from too many others by chance.
constexpr std::size_t kMinEditableName = 4;
// Shorter names occur inside unrelated words ("counter-example" holds "example"
// by design, "ace" in "place" by chance) more often than not.
constexpr std::size_t kMinEmbeddedName = 5;

// Lower-case letters of other scripts that render like a Latin letter (the
// usual IDN homograph set; IDNA's mapping has already folded case and
// full-width forms).
constexpr auto kHomoglyphs = std::to_array<std::pair<char32_t, char32_t>>({
    {0x0430, 'a'}, {0x0441, 'c'}, {0x0501, 'd'}, {0x0435, 'e'}, {0x0451, 'e'}, {0x0261, 'g'},
    {0x04BB, 'h'}, {0x0456, 'i'}, {0x0457, 'i'}, {0x0458, 'j'}, {0x043A, 'k'}, {0x04CF, 'l'},
    {0x0578, 'n'}, {0x043E, 'o'}, {0x0585, 'o'}, {0x0440, 'p'}, {0x051B, 'q'}, {0x0455, 's'},
    {0x057D, 'u'}, {0x051D, 'w'}, {0x0445, 'x'}, {0x0443, 'y'}, {0x044C, 'b'}, {0x03B1, 'a'},
    {0x03F2, 'c'}, {0x03B5, 'e'}, {0x03B9, 'i'}, {0x03F3, 'j'}, {0x03BA, 'k'}, {0x03BF, 'o'},
    {0x03C1, 'p'}, {0x03C4, 't'}, {0x03C5, 'u'}, {0x03BD, 'v'}, {0x03C9, 'w'}, {0x03C7, 'x'},
});

// Two ASCII letters read as one, and single characters read as another.
constexpr auto kPairConfusables = std::to_array<std::pair<std::u32string_view, char32_t>>(
    {{U"rn", 'm'}, {U"vv", 'w'}, {U"cl", 'd'}});
constexpr auto kCharConfusables =
    std::to_array<std::pair<char32_t, char32_t>>({{'0', 'o'}, {'1', 'l'}, {'i', 'l'}});

char32_t latin_look(char32_t c) {
  for (const auto& [glyph, latin] : kHomoglyphs) {
    if (glyph == c) return latin;
  }
  return latin_base_letter(c);
}

char32_t single_confusable(char32_t c) {
  for (const auto& [from, to] : kCharConfusables) {
    if (from == c) return to;
  }
  return c;
}

// A domain split the way the comparisons need it.
struct DomainName {
  std::string full;         // Unicode form, lower case
  std::string registrable;  // "example.co.uk"
  std::u32string label;     // "example"
  std::u32string skeleton;  // confusable_skeleton(label)
};

std::string unicode_form(std::string_view domain) {
  std::string lower = ascii_lowercase(domain);
  while (lower.ends_with('.')) lower.pop_back();
  if (is_ascii(lower) && lower.find("xn--") == std::string::npos) return lower;
  const auto unicode = domain_to_unicode(lower);
  return unicode ? *unicode : lower;
}

std::optional<DomainName> read_domain(std::string_view domain) {
  if (domain.size() > kMaxDomainBytes) return std::nullopt;
  DomainName name;
  name.full = unicode_form(domain);
  if (name.full.find('.') == std::string::npos || parse_ip(name.full) ||
      parse_ipv4_any_notation(name.full)) {
    return std::nullopt;
  }
  name.registrable = registrable_domain(name.full);
  const std::string suffix = public_suffix(name.full);
  if (suffix.empty() || name.registrable.size() <= suffix.size() + 1) return std::nullopt;
  name.label =
      to_code_points(name.registrable.substr(0, name.registrable.size() - suffix.size() - 1));
  if (name.label.size() > kMaxLabelChars) return std::nullopt;
  name.skeleton = confusable_skeleton(name.label);
  return name;
}

// Optimal string alignment distance (Damerau-Levenshtein without repeated
// edits of one substring): insert, delete, substitute, swap neighbours.
std::size_t edit_distance(std::u32string_view a, std::u32string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// "example-secure", "secure-example", "examplesecure", "myexample".
bool adds_words(std::u32string_view theirs, std::u32string_view ours) {
  if (ours.size() < kMinEditableName || theirs.size() <= ours.size()) return false;
  std::size_t start = 0;
  while (start <= theirs.size()) {
    const std::size_t hyphen = std::min(theirs.find(U'-', start), theirs.size());
    if (theirs.substr(start, hyphen - start) == ours) return true;
    start = hyphen + 1;
  }
  return ours.size() >= kMinEmbeddedName && (theirs.starts_with(ours) || theirs.ends_with(ours));
}

// "example.org.account-check.com", "example.login-check.com": our name as a
// label in front of someone else's registrable domain.
bool puts_our_name_in_front(const DomainName& theirs, const DomainName& ours) {
  if (theirs.full.size() <= theirs.registrable.size() + 1) return false;
  const std::string_view prefix =
      std::string_view(theirs.full).substr(0, theirs.full.size() - theirs.registrable.size() - 1);
  std::size_t start = 0;
  while (start <= prefix.size()) {
    const std::size_t dot = std::min(prefix.find('.', start), prefix.size());
    const std::u32string skeleton =
        confusable_skeleton(to_code_points(prefix.substr(start, dot - start)));
    if (skeleton == ours.skeleton || adds_words(skeleton, ours.skeleton)) return true;
    start = dot + 1;
  }
  return false;
}

bool is_one_edit_away(const DomainName& theirs, const DomainName& ours) {
  if (ours.label.size() < kMinEditableName) return false;
  return edit_distance(theirs.label, ours.label) == 1 ||
         edit_distance(theirs.skeleton, ours.skeleton) == 1;
}

std::optional<std::string> imitation(const DomainName& theirs, const DomainName& ours) {
  if (theirs.registrable == ours.registrable) return std::nullopt;
  if (theirs.label == ours.label) return "has our name under another ending";
  if (theirs.skeleton == ours.skeleton) {
    return is_ascii(to_utf8(theirs.label))
               ? "swaps characters that look alike (such as \"rn\" for \"m\" or \"0\" for \"o\")"
               : "uses letters of another alphabet that look like ours";
  }
  if (is_one_edit_away(theirs, ours)) return "is one typing edit away from our name";
  if (adds_words(theirs.skeleton, ours.skeleton)) return "adds words to our name";
  if (puts_our_name_in_front(theirs, ours)) return "puts our name in front of another domain";
  return std::nullopt;
}

}  // namespace

std::u32string confusable_skeleton(std::u32string_view label) {
  std::u32string out;
  out.reserve(label.size());
  for (std::size_t i = 0; i < label.size(); ++i) {
    const char32_t c = latin_look(label[i]);
    const char32_t next = i + 1 < label.size() ? latin_look(label[i + 1]) : 0;
    const auto pair = std::ranges::find_if(kPairConfusables, [&](const auto& entry) {
      return entry.first[0] == c && entry.first[1] == next;
    });
    if (pair != kPairConfusables.end()) {
      out += pair->second;
      ++i;
    } else {
      out += single_confusable(c);
    }
  }
  return out;
}

std::optional<Lookalike> find_lookalike(std::string_view domain,
                                        const std::vector<std::string>& own_domains) {
  const auto theirs = read_domain(domain);
  if (!theirs) return std::nullopt;
  std::vector<DomainName> ours;
  for (const auto& own : own_domains) {
    auto name = read_domain(own);
    if (!name) continue;
    if (is_same_or_subdomain(theirs->full, name->full)) return std::nullopt;
    ours.push_back(std::move(*name));
  }
  for (const auto& own : ours) {
    if (auto how = imitation(*theirs, own)) return Lookalike{own.full, std::move(*how)};
  }
  return std::nullopt;
}

}  // namespace phishdrill
