#include "mail/imap_response.h"

#include <fmt/format.h>

#include <cstddef>
#include <limits>

#include "core/ascii.h"

namespace phishdrill {
namespace {

constexpr int kMaxNesting = 8;
constexpr std::uint64_t kMaxSize = std::numeric_limits<std::int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A decimal number of at most `max`; nullopt for anything else (empty, a
// sign, any other character).
std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (!is_digit(c)) return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::optional<std::uint32_t> parse_nz_number(std::string_view text) {
  const auto value = parse_number(text, std::numeric_limits<std::uint32_t>::max());
  if (!value || *value == 0) return std::nullopt;
  return static_cast<std::uint32_t>(*value);
}

std::unexpected<Error> malformed(std::string_view response) {
  return fail(ErrorCode::kUnavailable,
              fmt::format("the IMAP server's {} response is malformed", response));
}

// The words of an untagged line after "* ": "* SEARCH 1 2" → "SEARCH 1 2".
std::optional<std::string_view> untagged_body(std::string_view line) {
  if (!line.starts_with("* ")) return std::nullopt;
  return line.substr(2);
}

// Reads one FETCH value: an atom or number, a quoted string, NIL, or a
// parenthesised list of values. `out` receives the tokens of a flat list (or
// the single token) for the callers that need them.
class FetchReader {
 public:
  explicit FetchReader(std::string_view text) : text_(text) {}

  bool at_end() const { return at_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[at_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++at_;
    return true;
  }

  // An item name: up to a space, with any [...] section (which may hold
  // spaces) included.
  std::optional<std::string_view> name() {
    const std::size_t start = at_;
    int brackets = 0;
    while (!at_end()) {
      const char c = text_[at_];
      if (c == '[') ++brackets;
      if (c == ']') --brackets;
      if (brackets < 0) return std::nullopt;
      if (brackets == 0 && (c == ' ' || c == '(' || c == ')')) break;
      ++at_;
    }
    if (brackets != 0 || at_ == start) return std::nullopt;
    return text_.substr(start, at_ - start);
  }

  // One value; its top-level tokens go to `tokens` when given.
  bool value(std::vector<std::string_view>* tokens, int depth = 0) {
    if (depth > kMaxNesting) return false;
    const char c = peek();
    if (c == '{') return false;  // a literal: never asked for
    if (c == '"') return quoted(tokens);
    if (c == '(') {
      ++at_;
      bool first = true;
      while (!take(')')) {
        if (at_end()) return false;
        if (!first && !take(' ')) return false;
        first = false;
        if (peek() == ')') continue;
        if (!value(depth == 0 ? tokens : nullptr, depth + 1)) return false;
      }
      return true;
    }
    const std::size_t start = at_;
    while (!at_end() && text_[at_] != ' ' && text_[at_] != ')' && text_[at_] != '(') {
      const auto byte = static_cast<unsigned char>(text_[at_]);
      if (byte < 0x20 || byte >= 0x7F || text_[at_] == '"' || text_[at_] == '{') return false;
      ++at_;
    }
    if (at_ == start) return false;
    if (tokens != nullptr) tokens->push_back(text_.substr(start, at_ - start));
    return true;
  }

 private:
  bool quoted(std::vector<std::string_view>* tokens) {
    const std::size_t start = ++at_;
    while (!at_end() && text_[at_] != '"') {
      if (text_[at_] == '\\') ++at_;
      ++at_;
    }
    if (at_end()) return false;
    if (tokens != nullptr) tokens->push_back(text_.substr(start, at_ - start));
    ++at_;
    return true;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

// The attributes of one "* n FETCH (...)" line; nullopt when the line is not
// a FETCH response at all; an error when it is one but malformed.
Result<std::optional<ImapFetchAttributes>> read_fetch_line(std::string_view line) {
  const auto body = untagged_body(line);
  if (!body) return std::nullopt;
  const std::size_t space = body->find(' ');
  if (space == std::string_view::npos || !parse_nz_number(body->substr(0, space))) {
    return std::nullopt;
  }
  std::string_view rest = body->substr(space + 1);
  if (!ascii_istarts_with(rest, "FETCH ")) return std::nullopt;
  FetchReader reader(rest.substr(6));
  if (!reader.take('(')) return malformed("FETCH");
  ImapFetchAttributes attributes;
  bool has_uid = false;
  bool first = true;
  while (!reader.take(')')) {
    if (reader.at_end()) return malformed("FETCH");
    if (!first && !reader.take(' ')) return malformed("FETCH");
    first = false;
    const auto name = reader.name();
    if (!name || !reader.take(' ')) return malformed("FETCH");
    std::vector<std::string_view> tokens;
    const bool is_list = reader.peek() == '(';
    if (!reader.value(&tokens)) return malformed("FETCH");
    if (ascii_iequals(*name, "UID")) {
      const auto uid = tokens.size() == 1 && !is_list ? parse_nz_number(tokens[0]) : std::nullopt;
      if (!uid) return malformed("FETCH");
      attributes.uid = *uid;
      has_uid = true;
    } else if (ascii_iequals(*name, "RFC822.SIZE")) {
      const auto size =
          tokens.size() == 1 && !is_list ? parse_number(tokens[0], kMaxSize) : std::nullopt;
      if (!size) return malformed("FETCH");
      attributes.size = *size;
    } else if (ascii_iequals(*name, "FLAGS")) {
      if (!is_list) return malformed("FETCH");
      attributes.flags.emplace(tokens.begin(), tokens.end());
    }
  }
  if (!reader.at_end()) return malformed("FETCH");
  if (!has_uid) return std::optional<ImapFetchAttributes>();  // another message's flag update
  return attributes;
}

}  // namespace

std::vector<std::string_view> imap_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

Result<std::vector<std::uint32_t>> parse_imap_search(std::string_view untagged) {
  std::vector<std::uint32_t> uids;
  bool seen = false;
  for (const std::string_view line : imap_lines(untagged)) {
    const auto body = untagged_body(line);
    if (!body || !ascii_istarts_with(*body, "SEARCH") || (body->size() > 6 && (*body)[6] != ' ')) {
      continue;
    }
    seen = true;
    std::string_view rest = body->substr(6);
    while (!rest.empty()) {
      if (rest.front() == ' ') {
        rest.remove_prefix(1);
        continue;
      }
      const std::size_t end = std::min(rest.find(' '), rest.size());
      const auto uid = parse_nz_number(rest.substr(0, end));
      if (!uid) return malformed("SEARCH");
      uids.push_back(*uid);
      rest.remove_prefix(end);
    }
  }
  if (!seen) return malformed("SEARCH");
  return uids;
}

Result<std::optional<ImapFetchAttributes>> parse_imap_fetch(std::string_view untagged,
                                                            std::uint32_t uid) {
  std::optional<ImapFetchAttributes> found;
  for (const std::string_view line : imap_lines(untagged)) {
    auto attributes = PD_TRY(read_fetch_line(line));
    if (attributes && attributes->uid == uid) {
      // A server may split one message's attributes over several lines.
      if (!found) {
        found = std::move(*attributes);
      } else {
        if (attributes->size) found->size = attributes->size;
        if (attributes->flags) found->flags = std::move(attributes->flags);
      }
    }
  }
  return found;
}

std::vector<std::string> parse_imap_capabilities(std::string_view untagged) {
  std::vector<std::string> names;
  for (const std::string_view line : imap_lines(untagged)) {
    const auto body = untagged_body(line);
    if (!body || !ascii_istarts_with(*body, "CAPABILITY ")) continue;
    std::string_view rest = body->substr(11);
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find(' '), rest.size());
      if (end > 0 && end <= 64) {
        std::string name(rest.substr(0, end));
        for (char& c : name) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        names.push_back(std::move(name));
      }
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  return names;
}

std::optional<std::uint32_t> parse_imap_exists(std::string_view line) {
  const auto body = untagged_body(line);
  if (!body) return std::nullopt;
  const std::size_t space = body->find(' ');
  if (space == std::string_view::npos || !ascii_iequals(body->substr(space + 1), "EXISTS")) {
    return std::nullopt;
  }
  const auto count =
      parse_number(body->substr(0, space), std::numeric_limits<std::uint32_t>::max());
  if (!count) return std::nullopt;
  return static_cast<std::uint32_t>(*count);
}

std::optional<std::uint32_t> parse_imap_uid_validity(std::string_view line) {
  const auto body = untagged_body(line);
  if (!body || !ascii_istarts_with(*body, "OK [UIDVALIDITY ")) return std::nullopt;
  const std::string_view rest = body->substr(16);
  const std::size_t end = rest.find(']');
  if (end == std::string_view::npos) return std::nullopt;
  return parse_nz_number(rest.substr(0, end));
}

}  // namespace phishdrill
