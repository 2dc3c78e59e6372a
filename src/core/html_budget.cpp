#include "core/html_budget.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "core/ascii.h"

namespace phishdrill {
namespace {

// Elements the parser keeps on its list of active formatting elements (<a>
// too, but a new <a> closes the one before, so they never pile up).
constexpr std::array<std::string_view, 13> kFormatting = {
    "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"};

// Elements that never hold content, so they open nothing.
constexpr std::array<std::string_view, 14> kVoid = {"area",  "base",   "br",    "col",  "embed",
                                                    "hr",    "img",    "input", "link", "meta",
                                                    "param", "source", "track", "wbr"};

bool listed(std::string_view name, std::span<const std::string_view> names) {
  return std::ranges::any_of(names, [&](std::string_view n) { return ascii_iequals(n, name); });
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

struct Tag {
  std::string_view name;
  bool closing = false;
  bool self_closing = false;
};

// The tag starting at html[at] ('<'), if one starts there.
std::optional<Tag> tag_at(std::string_view html, std::size_t at) {
  std::size_t i = at + 1;
  Tag tag;
  if (i < html.size() && html[i] == '/') {
    tag.closing = true;
    ++i;
  }
  const std::size_t start = i;
  while (i < html.size() && is_name_char(html[i])) ++i;
  if (i == start ||
      !((html[start] >= 'a' && html[start] <= 'z') || (html[start] >= 'A' && html[start] <= 'Z'))) {
    return std::nullopt;
  }
  tag.name = html.substr(start, i - start);
  const std::size_t end = html.find('>', i);
  tag.self_closing = end != std::string_view::npos && end > i && html[end - 1] == '/';
  return tag;
}

}  // namespace

bool html_within_budget(std::string_view html) {
  if (html.size() > kMaxHtmlBytes) return false;
  int depth = 0;
  int formatting = 0;
  for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    const auto tag = tag_at(html, at);
    if (!tag || tag->self_closing || listed(tag->name, kVoid)) continue;
    const int step = tag->closing ? -1 : 1;
    depth = std::max(0, depth + step);
    if (listed(tag->name, kFormatting)) formatting = std::max(0, formatting + step);
    if (depth > kMaxHtmlDepth || formatting > kMaxOpenFormattingTags) return false;
  }
  return true;
}

}  // namespace phishdrill
