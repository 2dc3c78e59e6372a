#include "phish/landing_renderer.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/html_escape.h"
#include "core/html_tree.h"

namespace phishdrill::phish {
namespace {

constexpr std::string_view kUrlEncoded = "application/x-www-form-urlencoded";
constexpr std::string_view kEmptyPage = "<!doctype html><title></title>";

struct Edit {
  std::size_t offset;
  std::size_t length;
  std::string text;
};

struct NewAttribute {
  std::string_view name;
  std::string_view value;
};

// How one start tag is regenerated: attributes set (first, in this order)
// and attributes removed; every other parsed attribute is kept.
struct TagChange {
  std::vector<NewAttribute> set;
  std::vector<std::string_view> remove;
};

// Attribute names a serialiser can write back unquoted-safe; anything else
// (quotes, '<', '=' …) has no meaning for a form and is dropped.
bool writable_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
           c == '.';
  });
}

std::string start_tag(const GumboElement& e, const TagChange& change) {
  std::string out = "<";
  out += gumbo_normalized_tagname(e.tag);
  for (const auto& [name, value] : change.set) {
    out += ' ';
    out += name;
    out += "=\"";
    append_html_escaped(out, value);
    out += '"';
  }
  for (unsigned i = 0; i < e.attributes.length; ++i) {
    const auto* attr = static_cast<const GumboAttribute*>(e.attributes.data[i]);
    const std::string_view name(attr->name);
    const bool replaced =
        std::any_of(change.set.begin(), change.set.end(), [&](auto& a) { return a.name == name; });
    const bool removed =
        std::find(change.remove.begin(), change.remove.end(), name) != change.remove.end();
    if (replaced || removed || !writable_name(name)) continue;
    out += ' ';
    out += name;
    out += "=\"";
    append_html_escaped(out, attr->value);
    out += '"';
  }
  out += '>';
  return out;
}

// The source span of the element's start tag, when it was written in the
// source and the span really is that tag.
std::optional<std::pair<std::size_t, std::size_t>> tag_span(const GumboElement& e,
                                                            std::string_view html) {
  const GumboStringPiece& tag = e.original_tag;
  if (tag.data == nullptr || tag.length < 2) return std::nullopt;
  if (tag.data < html.data() || tag.data + tag.length > html.data() + html.size()) {
    return std::nullopt;
  }
  const auto offset = static_cast<std::size_t>(tag.data - html.data());
  if (html[offset] != '<' || html[offset + tag.length - 1] != '>') return std::nullopt;
  return std::pair{offset, tag.length};
}

bool has_any(const GumboElement& e, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(),
                     [&](const char* name) { return attribute_value(e, name) != nullptr; });
}

// What to change in this element's start tag, if anything.
std::optional<TagChange> change_for(const GumboElement& e, std::string_view action_url) {
  if (is_html(e, GUMBO_TAG_FORM)) {
    return TagChange{{{"action", action_url}, {"method", "post"}, {"enctype", kUrlEncoded}},
                     {"target", "accept-charset"}};
  }
  if ((is_html(e, GUMBO_TAG_BUTTON) || is_html(e, GUMBO_TAG_INPUT)) &&
      has_any(e, {"formaction", "formmethod", "formenctype", "formtarget"})) {
    return TagChange{
        {{"formaction", action_url}, {"formmethod", "post"}, {"formenctype", kUrlEncoded}},
        {"formtarget"}};
  }
  if ((is_html(e, GUMBO_TAG_IFRAME) || is_html(e, GUMBO_TAG_FRAME)) && has_any(e, {"srcdoc"})) {
    return TagChange{{}, {"srcdoc"}};
  }
  return std::nullopt;
}

// Where a <base> may go: right after an explicit <head> (or <html>) start
// tag, else after a doctype, else at the very start.
std::size_t head_position(const GumboOutput& output, std::string_view html) {
  const GumboNode* root = output.root;
  for (unsigned i = 0; i < root->v.element.children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(root->v.element.children.data[i]);
    if (child->type != GUMBO_NODE_ELEMENT || child->v.element.tag != GUMBO_TAG_HEAD) continue;
    if (const auto span = tag_span(child->v.element, html)) return span->first + span->second;
  }
  if (const auto span = tag_span(root->v.element, html)) return span->first + span->second;
  const auto doctype = html.find('>');
  return output.document->v.document.has_doctype && doctype != std::string_view::npos ? doctype + 1
                                                                                      : 0;
}

std::string apply(std::string_view html, std::vector<Edit> edits) {
  // Back to front; at one offset the replacement goes before the insertion,
  // so an insertion lands in front of a replaced tag, never inside it.
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
    return a.offset != b.offset ? a.offset > b.offset : a.length > b.length;
  });
  std::string out(html);
  for (const auto& edit : edits) out.replace(edit.offset, edit.length, edit.text);
  return out;
}

}  // namespace

std::string rewrite_forms(std::string_view original, std::string_view action_url,
                          std::string_view base_href, std::string_view head_insert) {
  const auto visible = without_noscript_content(original);
  if (!visible) return std::string(kEmptyPage);
  const std::string_view html = *visible;
  const ParsedHtml parsed(html);
  if (!parsed.complete()) return std::string(kEmptyPage);
  std::vector<Edit> edits;
  bool has_base = false;
  bool unverifiable = false;
  parsed.for_each_element([&](const GumboElement& e) {
    has_base |= e.tag == GUMBO_TAG_BASE;
    if (e.original_tag.length == 0) return;  // implied by the parser, not in the source
    const auto change = change_for(e, action_url);
    if (!change) return;
    const auto span = tag_span(e, html);
    if (!span) {
      unverifiable = true;
      return;
    }
    edits.push_back({span->first, span->second, start_tag(e, *change)});
  });
  if (unverifiable) return std::string(kEmptyPage);
  std::string at_head;
  if (!base_href.empty() && !has_base) at_head = "<base href=\"" + html_escape(base_href) + "\">";
  at_head += head_insert;
  if (!at_head.empty()) edits.push_back({head_position(parsed.output(), html), 0, at_head});
  return apply(html, std::move(edits));
}

}  // namespace phishdrill::phish
