#include "core/log_text.h"

#include <fmt/format.h>

namespace phishdrill {
namespace {

bool is_c0_or_del(unsigned char c) { return c < 0x20 || c == 0x7f; }

// The length of the well-formed UTF-8 sequence starting at `at` (lead byte
// 0xC2 or above), or 0 when the bytes there are not one.
std::size_t utf8_sequence(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t n = lead >= 0xc2 && lead <= 0xdf   ? 2
                        : lead >= 0xe0 && lead <= 0xef ? 3
                        : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                       : 0;
  if (n == 0 || at + n > text.size()) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[at + i]);
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return n;
}

// U+0080-U+009F: terminals may obey these like ESC sequences.
bool is_c1(std::string_view sequence) {
  return sequence.size() == 2 && static_cast<unsigned char>(sequence[0]) == 0xc2 &&
         static_cast<unsigned char>(sequence[1]) <= 0x9f;
}

void append_hex(std::string& out, std::string_view bytes) {
  for (const char c : bytes) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
}

bool is_bare(unsigned char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '='; }

}  // namespace

std::string escape_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (is_c0_or_del(c)) {
        append_hex(out, text.substr(i, 1));
      } else {
        out += text[i];
      }
      ++i;
      continue;
    }
    // Malformed UTF-8 bytes are escaped too: a raw 0x9b is a C1 control.
    const std::size_t n = utf8_sequence(text, i);
    const auto sequence = text.substr(i, n == 0 ? 1 : n);
    if (n == 0 || is_c1(sequence)) {
      append_hex(out, sequence);
    } else {
      out += sequence;
    }
    i += sequence.size();
  }
  return out;
}

std::string log_value(std::string_view value) {
  bool bare = !value.empty();
  for (const char c : value) bare = bare && is_bare(static_cast<unsigned char>(c));
  if (bare) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return escape_controls(out);
}

}  // namespace phishdrill
