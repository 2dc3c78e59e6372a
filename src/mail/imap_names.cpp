#include "mail/imap_names.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/ascii.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

// RFC 3501 atom-specials besides controls and space: ( ) { % * " \ ]
bool is_atom_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte <= 0x20 || byte >= 0x7F) return false;
  return std::string_view("(){%*\"\\]").find(c) == std::string_view::npos;
}

// Modified base64 (RFC 3501 5.1.3): "," instead of "/", no padding.
void append_modified_base64(const std::vector<std::uint8_t>& bytes, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = bytes[i] << 16;
    if (i + 1 < bytes.size()) v |= bytes[i + 1] << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    if (i + 1 < bytes.size()) out.push_back(kAlphabet[(v >> 6) & 63]);
  }
}

void append_utf16be(char32_t c, std::vector<std::uint8_t>& units) {
  auto push = [&units](unsigned unit) {
    units.push_back(static_cast<std::uint8_t>(unit >> 8));
    units.push_back(static_cast<std::uint8_t>(unit & 0xFF));
  };
  if (c < 0x10000) {
    push(static_cast<unsigned>(c));
  } else {
    const unsigned v = static_cast<unsigned>(c) - 0x10000;
    push(0xD800 + (v >> 10));
    push(0xDC00 + (v & 0x3FF));
  }
}

// The code points of `text`, which is valid UTF-8.
std::u32string code_points(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t c = lead & kLeadMask[length];
    for (std::size_t k = 1; k < length; ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    out.push_back(c);
    i += length;
  }
  return out;
}

constexpr std::string_view kSystemFlags[] = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted",
                                             "\\Draft"};

}  // namespace

Result<std::string> encode_imap_folder(std::string_view utf8_name) {
  if (utf8_name.empty()) return fail(ErrorCode::kValidation, "the folder name is empty", "folder");
  if (!is_valid_utf8(utf8_name)) {
    return fail(ErrorCode::kValidation, "the folder name is not valid UTF-8", "folder");
  }
  const std::u32string characters = code_points(utf8_name);
  if (characters.size() > kMaxImapFolderChars) {
    return fail(ErrorCode::kValidation,
                fmt::format("the folder name is longer than {} characters", kMaxImapFolderChars),
                "folder");
  }
  std::string out;
  std::vector<std::uint8_t> run;  // UTF-16BE of the pending non-ASCII characters
  auto flush = [&] {
    if (run.empty()) return;
    out.push_back('&');
    append_modified_base64(run, out);
    out.push_back('-');
    run.clear();
  };
  for (const char32_t c : characters) {
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
      return fail(ErrorCode::kValidation, "the folder name contains a control character", "folder");
    }
    if (c < 0x7F) {
      flush();
      out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
    } else {
      append_utf16be(c, run);
    }
  }
  flush();
  return out;
}

std::string imap_quoted(std::string_view ascii) {
  std::string out;
  out.reserve(ascii.size() + 2);
  out.push_back('"');
  for (const char c : ascii) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

Result<void> check_imap_keyword(std::string_view keyword, std::string_view field) {
  if (keyword.empty())
    return fail(ErrorCode::kValidation, "the keyword is empty", std::string(field));
  if (keyword.size() > kMaxImapKeywordLength) {
    return fail(ErrorCode::kValidation,
                fmt::format("the keyword is longer than {} characters", kMaxImapKeywordLength),
                std::string(field));
  }
  for (const char c : keyword) {
    if (!is_atom_char(c)) {
      return fail(ErrorCode::kValidation,
                  "a keyword is printable ASCII without spaces or any of ( ) { } % * \" \\ ]",
                  std::string(field));
    }
  }
  return {};
}

Result<std::string> imap_flag_list(std::string_view flags) {
  std::vector<std::string> names;
  std::size_t at = 0;
  while (at < flags.size()) {
    if (flags[at] == ' ') {
      ++at;
      continue;
    }
    const std::size_t end = std::min(flags.find(' ', at), flags.size());
    const std::string_view flag = flags.substr(at, end - at);
    at = end;
    if (names.size() == kMaxImapFlags) {
      return fail(ErrorCode::kValidation, fmt::format("more than {} flags", kMaxImapFlags),
                  "flags");
    }
    if (flag.starts_with('\\')) {
      std::string system;
      for (const std::string_view known : kSystemFlags) {
        if (ascii_iequals(flag, known)) system = known;
      }
      if (system.empty()) {
        return fail(ErrorCode::kValidation,
                    "a flag starting with \\ must be one of \\Seen, \\Answered, \\Flagged, "
                    "\\Deleted or \\Draft",
                    "flags");
      }
      names.push_back(std::move(system));
    } else {
      PD_TRY(check_imap_keyword(flag, "flags"));
      names.emplace_back(flag);
    }
  }
  if (names.empty()) return fail(ErrorCode::kValidation, "no flags given", "flags");
  std::string out = "(";
  for (const std::string& name : names) {
    if (out.size() > 1) out.push_back(' ');
    out += name;
  }
  out.push_back(')');
  return out;
}

Result<std::string> imap_uid_set(std::span<const std::uint32_t> uids) {
  std::vector<std::uint32_t> sorted(uids.begin(), uids.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.empty() || sorted.front() == 0) {
    return fail(ErrorCode::kValidation, "UIDs start at 1", "uid");
  }
  std::string set;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!set.empty()) set += ',';
    set += std::to_string(sorted[i]);
    if (j > i) set += ':' + std::to_string(sorted[j]);
    i = j + 1;
  }
  return set;
}

}  // namespace phishdrill
