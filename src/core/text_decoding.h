// Turns the bytes of a text file saved by a spreadsheet into UTF-8: a UTF-8
// BOM is dropped, UTF-16 with a BOM (Excel's "Unicode Text") is converted, and
// bytes that are not UTF-8 are read as Windows-1252 (Excel's "CSV" on Windows;
// a superset of Latin-1's printable characters). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

enum class TextEncoding { kUtf8, kUtf16, kWindows1252 };

struct DecodedText {
  std::string utf8;
  TextEncoding encoding = TextEncoding::kUtf8;
  std::size_t first_legacy_line = 0;  // kWindows1252: first line that was not UTF-8 (1-based)
};

// Fails (kInvalidCsv) only for UTF-16 that is cut in half or holds unpaired
// surrogates; every byte sequence is valid Windows-1252.
Result<DecodedText> decode_spreadsheet_text(std::string_view bytes);

// Windows-1252 to UTF-8 (the five unassigned bytes map to the C1 controls of
// the same value, as the WHATWG encoding standard does).
std::string windows1252_to_utf8(std::string_view bytes);

}  // namespace phishdrill
