// The plain letter under a Latin letter with diacritics ("É" -> 'e', "ł" ->
// 'l'), for comparisons that should not care about accents or case: people's
// names in a display name, look-alike domains. Covers ASCII, Latin-1
// Supplement and Latin Extended-A (U+0000..U+017F), which hold the letters of
// the European languages' names. Pure; thread-safe.
#pragma once

namespace phishdrill {

// The lower-case ASCII base letter of `c`; `c` itself when it is not a Latin
// letter in that range or has no single-letter base (U+00DF "ß", U+00E6 "æ").
char32_t latin_base_letter(char32_t c);

}  // namespace phishdrill
