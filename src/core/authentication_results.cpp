#include "core/authentication_results.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#include "core/ascii.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxValueBytes = 16 * 1024;
constexpr std::size_t kMaxResults = 64;

enum class TokenKind { kWord, kQuoted, kEquals, kSemicolon };

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Offset just past the comment or quoted string that opens at `start`
// (nested comments and backslash escapes followed; the end when unclosed).
std::size_t skip_enclosed(std::string_view text, std::size_t start, std::string* content) {
  const bool comment = text[start] == '(';
  int depth = 1;
  std::size_t i = start + 1;
  for (; i < text.size() && depth > 0; ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      if (content) *content += text[i + 1];
      ++i;
    } else if (comment && c == '(') {
      ++depth;
    } else if (c == (comment ? ')' : '"')) {
      --depth;
    } else if (content) {
      *content += c;
    }
  }
  return i;
}

std::size_t word_end(std::string_view text, std::size_t start) {
  std::size_t i = start;
  while (i < text.size() && !is_space(text[i]) && text[i] != '(' && text[i] != '"' &&
         text[i] != '=' && text[i] != ';') {
    ++i;
  }
  return i;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '(') {
      i = skip_enclosed(text, i, nullptr);
    } else if (c == '"') {
      Token token{TokenKind::kQuoted, {}};
      i = skip_enclosed(text, i, &token.text);
      const std::size_t end = word_end(text, i);  // "local"@domain is one value
      token.text += text.substr(i, end - i);
      i = end;
      tokens.push_back(std::move(token));
    } else if (c == '=' || c == ';') {
      tokens.push_back({c == '=' ? TokenKind::kEquals : TokenKind::kSemicolon, std::string(1, c)});
      ++i;
    } else {
      const std::size_t end = word_end(text, i);
      tokens.push_back({TokenKind::kWord, std::string(text.substr(i, end - i))});
      i = end;
    }
  }
  return tokens;
}

AuthOutcome outcome_of(std::string_view word) {
  static constexpr auto kOutcomes = std::to_array<std::pair<std::string_view, AuthOutcome>>({
      {"pass", AuthOutcome::kPass},
      {"fail", AuthOutcome::kFail},
      {"hardfail", AuthOutcome::kFail},
      {"softfail", AuthOutcome::kSoftFail},
      {"neutral", AuthOutcome::kNeutral},
      {"none", AuthOutcome::kNone},
      {"policy", AuthOutcome::kPolicy},
      {"temperror", AuthOutcome::kTempError},
      {"error", AuthOutcome::kTempError},
      {"permerror", AuthOutcome::kPermError},
  });
  for (const auto& [name, outcome] : kOutcomes) {
    if (ascii_iequals(word, name)) return outcome;
  }
  return AuthOutcome::kUnknown;
}

// The domain in a property value: after "@" for an address or "@domain".
std::string domain_of(std::string_view value) {
  const std::size_t at = value.rfind('@');
  return ascii_lowercase(at == std::string_view::npos ? value : value.substr(at + 1));
}

// One "method=result prop=value ..." statement.
struct Statement {
  std::string method;
  MethodResult result;
};

bool is_domain_property(std::string_view method, std::string_view property) {
  if (method == "spf") return property == "smtp.mailfrom" || property == "smtp.helo";
  if (method == "dkim") return property == "header.d" || property == "header.i";
  return method == "dmarc" && property == "header.from";
}

// The statement in tokens [begin, end).
Statement read_statement(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
  Statement statement;
  if (end - begin < 3 || tokens[begin + 1].kind != TokenKind::kEquals) return statement;
  const std::string& method_word = tokens[begin].text;
  statement.method = ascii_lowercase(method_word.substr(0, method_word.find('/')));
  statement.result.outcome = outcome_of(tokens[begin + 2].text);
  std::size_t i = begin + 3;
  while (i + 2 < end) {
    if (tokens[i + 1].kind != TokenKind::kEquals) {
      ++i;  // a stray word: resynchronise on the next "name=value"
      continue;
    }
    const std::string property = ascii_lowercase(tokens[i].text);
    if (statement.result.domain.empty() && is_domain_property(statement.method, property)) {
      statement.result.domain = domain_of(tokens[i + 2].text);
    }
    i += 3;
  }
  return statement;
}

// A second result for the same method (DKIM: one per signature): any pass
// counts, and a fail outweighs what is neither.
void combine(MethodResult& into, MethodResult next) {
  const bool take = into.outcome == AuthOutcome::kAbsent ||
                    (next.outcome == AuthOutcome::kPass && into.outcome != AuthOutcome::kPass) ||
                    (next.outcome == AuthOutcome::kFail && into.outcome != AuthOutcome::kPass &&
                     into.outcome != AuthOutcome::kFail);
  if (take) into = std::move(next);
}

void record(AuthenticationResults& results, Statement statement) {
  if (statement.method == "spf") combine(results.spf, std::move(statement.result));
  if (statement.method == "dkim") combine(results.dkim, std::move(statement.result));
  if (statement.method == "dmarc") combine(results.dmarc, std::move(statement.result));
}

std::string_view without_field_name(std::string_view value) {
  constexpr std::string_view kName = "authentication-results:";
  return ascii_istarts_with(value, kName) ? value.substr(kName.size()) : value;
}

}  // namespace

AuthenticationResults parse_authentication_results(std::string_view value) {
  AuthenticationResults results;
  const std::vector<Token> tokens =
      tokenize(without_field_name(value.substr(0, std::min(value.size(), kMaxValueBytes))));
  std::size_t begin = 0;
  std::size_t statements = 0;
  for (std::size_t i = 0; i <= tokens.size() && statements <= kMaxResults; ++i) {
    if (i < tokens.size() && tokens[i].kind != TokenKind::kSemicolon) continue;
    if (statements == 0) {
      if (i > begin && tokens[begin].kind == TokenKind::kWord) {
        results.authserv_id = ascii_lowercase(tokens[begin].text);
      }
    } else if (i > begin) {
      record(results, read_statement(tokens, begin, i));
    }
    ++statements;
    begin = i + 1;
  }
  return results;
}

const char* auth_outcome_name(AuthOutcome outcome) {
  switch (outcome) {
    case AuthOutcome::kAbsent:
      return "";
    case AuthOutcome::kPass:
      return "pass";
    case AuthOutcome::kFail:
      return "fail";
    case AuthOutcome::kSoftFail:
      return "softfail";
    case AuthOutcome::kNeutral:
      return "neutral";
    case AuthOutcome::kNone:
      return "none";
    case AuthOutcome::kPolicy:
      return "policy";
    case AuthOutcome::kTempError:
      return "temperror";
    case AuthOutcome::kPermError:
      return "permerror";
    case AuthOutcome::kUnknown:
      return "unknown";
  }
  return "";
}

}  // namespace phishdrill
