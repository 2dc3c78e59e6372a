#include "core/code_points.h"

#include <cstddef>

#include "core/utf8.h"

namespace phishdrill {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

std::size_t claimed_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// The code point of the well-formed sequence `bytes` (length 1 to 4).
char32_t decode_sequence(std::string_view bytes) {
  const auto lead = static_cast<unsigned char>(bytes[0]);
  if (bytes.size() == 1) return lead;
  static constexpr unsigned char kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
  char32_t value = lead & kLeadMask[bytes.size()];
  for (std::size_t k = 1; k < bytes.size(); ++k) {
    value = (value << 6) | (static_cast<unsigned char>(bytes[k]) & 0x3F);
  }
  return value;
}

}  // namespace

std::vector<std::string_view> utf8_characters(std::string_view text) {
  std::vector<std::string_view> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = claimed_length(static_cast<unsigned char>(text[i]));
    const bool valid = i + length <= text.size() && is_valid_utf8(text.substr(i, length));
    out.push_back(text.substr(i, valid ? length : 1));
    i += valid ? length : 1;
  }
  return out;
}

std::u32string to_code_points(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (const std::string_view character : utf8_characters(text)) {
    const bool stray = character.size() == 1 && static_cast<unsigned char>(character[0]) >= 0x80;
    out += stray ? kReplacement : decode_sequence(character);
  }
  return out;
}

std::string to_utf8(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t c : code_points) {
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = kReplacement;
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

}  // namespace phishdrill
