#include "mail/html_links.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "core/ascii.h"
#include "core/html_tree.h"

namespace phishdrill {
namespace {

// `value` is the entity-decoded href. Browsers ignore leading spaces and C0
// controls, so "  mailto:x" is still a mail link.
bool should_rewrite(std::string_view value) {
  std::size_t start = 0;
  while (start < value.size() && static_cast<unsigned char>(value[start]) <= 0x20) ++start;
  value.remove_prefix(start);
  if (value.starts_with('#')) return false;
  return !ascii_istarts_with(value, "mailto:") && !ascii_istarts_with(value, "tel:");
}

// True when the attribute has a value written in `html`. For a valueless
// attribute (`<a href>`) gumbo 0.10 reports the *name* as original_value, so
// the value must start after the name ends.
bool has_source_value(const GumboAttribute& attribute, std::string_view html) {
  const GumboStringPiece& name = attribute.original_name;
  const GumboStringPiece& value = attribute.original_value;
  if (value.data == nullptr || value.length == 0 || name.data == nullptr) return false;
  const char* begin = html.data();
  const char* end = html.data() + html.size();
  return value.data >= name.data + name.length && value.data >= begin &&
         value.data + value.length <= end;
}

const GumboVector* children_of(const GumboNode* node) {
  switch (node->type) {
    case GUMBO_NODE_DOCUMENT:
      return &node->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return &node->v.element.children;
    default:
      return nullptr;
  }
}

}  // namespace

std::string rewrite_link_hrefs(std::string_view html, std::string_view new_href) {
  if (html.empty()) return {};
  const ParsedHtml parsed(html);
  if (!parsed.complete()) return std::string(html);  // links stay as they were: untracked

  // Byte ranges [begin, end) of the original href values, quotes included.
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  // Iterative walk: attacker-supplied HTML can nest deeply enough to overflow
  // the stack of a recursive one.
  std::vector<const GumboNode*> pending = {parsed.output().document};
  while (!pending.empty()) {
    const GumboNode* node = pending.back();
    pending.pop_back();
    const GumboVector* children = children_of(node);
    if (children == nullptr) continue;
    if (node->type != GUMBO_NODE_DOCUMENT && node->v.element.tag == GUMBO_TAG_A) {
      const GumboAttribute* href = gumbo_get_attribute(&node->v.element.attributes, "href");
      if (href != nullptr && has_source_value(*href, html) && should_rewrite(href->value)) {
        const auto begin = static_cast<std::size_t>(href->original_value.data - html.data());
        spans.emplace_back(begin, begin + href->original_value.length);
      }
    }
    for (unsigned int i = children->length; i > 0; --i) {
      pending.push_back(static_cast<const GumboNode*>(children->data[i - 1]));
    }
  }

  // The adoption agency algorithm clones misnested <a> elements together with
  // their attributes, so one source attribute can be reported several times.
  std::sort(spans.begin(), spans.end());
  std::string out;
  out.reserve(html.size() + spans.size() * (new_href.size() + 2));
  std::size_t copied = 0;
  for (const auto& [begin, end] : spans) {
    if (begin < copied) continue;
    out.append(html.substr(copied, begin - copied));
    out.push_back('"');
    out.append(new_href);
    out.push_back('"');
    copied = end;
  }
  out.append(html.substr(copied));
  return out;
}

}  // namespace phishdrill
