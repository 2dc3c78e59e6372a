#include "core/percent_encoding.h"

#include <cstddef>

#include "core/code_points.h"

namespace phishdrill {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_escape(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0F];
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += (plus_as_space && c == '+') ? ' ' : c;
    }
  }
  return out;
}

std::string escape_unsafe_url_bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const std::string_view character : utf8_characters(text)) {
    const auto first = static_cast<unsigned char>(character[0]);
    const bool stray = character.size() == 1 && first >= 0x80;
    if (stray || first < 0x20 || first == 0x7F) {
      append_escape(out, first);
    } else {
      out += character;
    }
  }
  return out;
}

std::string percent_decode_text(std::string_view text, bool plus_as_space) {
  return escape_unsafe_url_bytes(percent_decode(text, plus_as_space));
}

}  // namespace phishdrill
