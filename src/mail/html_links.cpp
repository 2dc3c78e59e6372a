#include "mail/html_links.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
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

// An attribute value to replace: its byte range [begin, end) in the
// source, quotes included, and what goes there (written between quotes).
struct Splice {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string_view value;
  bool operator<(const Splice& other) const { return begin < other.begin; }
};

// What to write instead of an attribute's value, or nullopt to keep it.
using Replacement =
    std::function<std::optional<std::string_view>(GumboTag tag, const GumboAttribute& attribute)>;

// The source with the chosen attribute values replaced; nullopt when gumbo
// could not parse it completely. Iterative walk: attacker-supplied HTML can
// nest deeply enough to overflow the stack of a recursive one.
std::optional<std::string> replace_attributes(std::string_view html, const Replacement& replace) {
  const ParsedHtml parsed(html);
  if (!parsed.complete()) return std::nullopt;
  std::vector<Splice> splices;
  std::vector<const GumboNode*> pending = {parsed.output().document};
  while (!pending.empty()) {
    const GumboNode* node = pending.back();
    pending.pop_back();
    const GumboVector* children = children_of(node);
    if (children == nullptr) continue;
    if (node->type != GUMBO_NODE_DOCUMENT) {
      const GumboVector& attributes = node->v.element.attributes;
      for (unsigned int i = 0; i < attributes.length; ++i) {
        const auto& attribute = *static_cast<const GumboAttribute*>(attributes.data[i]);
        if (!has_source_value(attribute, html)) continue;
        const auto value = replace(node->v.element.tag, attribute);
        if (!value) continue;
        const auto begin = static_cast<std::size_t>(attribute.original_value.data - html.data());
        splices.push_back({begin, begin + attribute.original_value.length, *value});
      }
    }
    for (unsigned int i = children->length; i > 0; --i) {
      pending.push_back(static_cast<const GumboNode*>(children->data[i - 1]));
    }
  }
  // The adoption agency algorithm clones misnested elements together with
  // their attributes, so one source attribute can be reported several times.
  std::sort(splices.begin(), splices.end());
  std::string out;
  out.reserve(html.size());
  std::size_t copied = 0;
  for (const auto& splice : splices) {
    if (splice.begin < copied) continue;
    out.append(html.substr(copied, splice.begin - copied));
    out.push_back('"');
    out.append(splice.value);
    out.push_back('"');
    copied = splice.end;
  }
  out.append(html.substr(copied));
  return out;
}

bool is_data_image(std::string_view value) {
  std::size_t start = 0;
  while (start < value.size() && static_cast<unsigned char>(value[start]) <= 0x20) ++start;
  return ascii_istarts_with(value.substr(start), "data:image/");
}

// Attributes that make a browser fetch something by themselves.
bool fetches(std::string_view name) {
  for (const std::string_view fetching :
       {"src", "srcset", "background", "poster", "data", "lowsrc", "dynsrc", "imagesrcset"}) {
    if (ascii_iequals(name, fetching)) return true;
  }
  return false;
}

}  // namespace

std::string rewrite_link_hrefs(std::string_view html, std::string_view new_href) {
  if (html.empty()) return {};
  auto rewritten = replace_attributes(
      html, [&](GumboTag tag, const GumboAttribute& a) -> std::optional<std::string_view> {
        if (tag != GUMBO_TAG_A || !ascii_iequals(a.name, "href") || !should_rewrite(a.value)) {
          return std::nullopt;
        }
        return new_href;
      });
  // Unparseable: links stay as they were (untracked).
  return rewritten ? *std::move(rewritten) : std::string(html);
}

std::optional<std::string> neutralise_remote_content(std::string_view html) {
  if (html.empty()) return std::string();
  return replace_attributes(
      html, [](GumboTag tag, const GumboAttribute& a) -> std::optional<std::string_view> {
        const bool link =
            (tag == GUMBO_TAG_A || tag == GUMBO_TAG_AREA) && ascii_iequals(a.name, "href");
        if (link) return "#";
        const bool sheet = tag == GUMBO_TAG_LINK && ascii_iequals(a.name, "href");
        if (sheet || (fetches(a.name) && !is_data_image(a.value))) return "";
        return std::nullopt;
      });
}

}  // namespace phishdrill
