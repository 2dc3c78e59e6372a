#include "core/text_decoding.h"

#include <array>
#include <cstdint>
#include <utility>

#include "core/utf8.h"

namespace phishdrill {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

// Code points of Windows-1252 bytes 0x80..0x9F; the rest equal Latin-1.
constexpr std::array<char32_t, 32> kHighControls = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::unexpected<Error> encoding_error(std::string message) {
  return std::unexpected<Error>(Error{ErrorCode::kInvalidCsv, std::move(message), {}, {}, 0});
}

Result<std::string> utf16_to_utf8(std::string_view bytes, bool little_endian) {
  if (bytes.size() % 2 != 0) {
    return encoding_error("the file is UTF-16 but ends in the middle of a character");
  }
  auto unit_at = [&](std::size_t i) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return static_cast<char32_t>(little_endian ? (b << 8 | a) : (a << 8 | b));
  };
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    char32_t cp = unit_at(i);
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return encoding_error("the file is UTF-16 but holds an unpaired surrogate");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= bytes.size()) {
        return encoding_error("the file is UTF-16 but holds an unpaired surrogate");
      }
      const char32_t low = unit_at(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) {
        return encoding_error("the file is UTF-16 but holds an unpaired surrogate");
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    append_utf8(out, cp);
  }
  return out;
}

std::size_t first_invalid_line(std::string_view text) {
  std::size_t line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (!is_valid_utf8(text.substr(start, end - start))) return line;
    if (end == text.size()) break;
    start = end + 1;
    ++line;
  }
  return line;
}

}  // namespace

std::string windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else if (byte < 0xA0) {
      append_utf8(out, kHighControls[byte - 0x80]);
    } else {
      append_utf8(out, byte);
    }
  }
  return out;
}

Result<DecodedText> decode_spreadsheet_text(std::string_view bytes) {
  if (bytes.starts_with(kUtf16LeBom) || bytes.starts_with(kUtf16BeBom)) {
    auto utf8 = utf16_to_utf8(bytes.substr(2), bytes.starts_with(kUtf16LeBom));
    if (!utf8) return std::unexpected(std::move(utf8.error()));
    return DecodedText{std::move(*utf8), TextEncoding::kUtf16, 0};
  }
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  if (is_valid_utf8(bytes)) return DecodedText{std::string(bytes), TextEncoding::kUtf8, 0};
  return DecodedText{windows1252_to_utf8(bytes), TextEncoding::kWindows1252,
                     first_invalid_line(bytes)};
}

}  // namespace phishdrill
