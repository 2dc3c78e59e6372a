#include "core/folded_text.h"

#include "core/code_points.h"
#include "core/latin_base_letter.h"

namespace phishdrill {
namespace {

bool is_combining_mark(char32_t c) { return c >= 0x0300 && c <= 0x036F; }

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x202F;
}

}  // namespace

std::u32string folded_text(std::string_view text) {
  std::u32string key;
  for (const char32_t c : to_code_points(text)) {
    if (is_combining_mark(c)) continue;
    if (is_space(c)) {
      if (!key.empty() && key.back() != ' ') key += ' ';
      continue;
    }
    key += latin_base_letter(c);
  }
  if (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

bool folded_contains(std::string_view haystack, std::string_view needle) {
  return folded_text(haystack).find(folded_text(needle)) != std::u32string::npos;
}

}  // namespace phishdrill
