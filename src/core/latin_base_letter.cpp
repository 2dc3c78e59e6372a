#include "core/latin_base_letter.h"

#include <string_view>

namespace phishdrill {
namespace {

// Base letters of U+00C0..U+017F in order; '.' for "no single base letter".
constexpr std::string_view kBaseLetters =
    // U+00C0..U+00FF: À..ÿ (× and ÷ are not letters; Æ, Þ, ß have no single base)
    "aaaaaa.ceeeeiiii"
    "dnooooo.ouuuuy.."
    "aaaaaa.ceeeeiiii"
    "dnooooo.ouuuuy.y"
    // U+0100..U+017F: Ā..ſ (Ĳ and Œ have no single base)
    "aaaaaa"
    "cccccccc"
    "dddd"
    "eeeeeeeeee"
    "gggggggg"
    "hhhh"
    "iiiiiiiiii"
    ".."
    "jj"
    "kkk"
    "llllllllll"
    "nnnnnnnnn"
    "oooooo"
    ".."
    "rrrrrr"
    "ssssssss"
    "tttttt"
    "uuuuuuuuuuuu"
    "ww"
    "yyy"
    "zzzzzz"
    "s";
static_assert(kBaseLetters.size() == 0x180 - 0xC0);

}  // namespace

char32_t latin_base_letter(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  if (c < 0xC0 || c >= 0x180) return c;
  const char base = kBaseLetters[c - 0xC0];
  return base == '.' ? c : static_cast<char32_t>(base);
}

}  // namespace phishdrill
