#include "core/html_tree.h"

#include <algorithm>
#include <vector>

#include "core/ascii.h"
#include "core/html_budget.h"

namespace phishdrill {

namespace {

GumboOptions parse_options() {
  GumboOptions options = kGumboDefaultOptions;
  // The error list stays off: each parse error copies the stack of open
  // elements, which is quadratic in time and memory on deep nesting. The
  // price is a gumbo bug, which complete() detects.
  options.max_errors = 0;
  return options;
}

// With errors off, gumbo does not clear the name of a duplicate attribute, so
// the next attribute's name is read glued onto it ("x x formaction=" gives
// "xformaction"), and its source text then spans both names. True when an
// attribute's source name holds a character no attribute name can.
bool may_have_glued_names(const GumboElement& element) {
  const GumboVector& attrs = element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    const GumboStringPiece& source =
        static_cast<const GumboAttribute*>(attrs.data[i])->original_name;
    if (std::string_view(source.data, source.length).find_first_of("\t\n\f\r /") !=
        std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

ParsedHtml::ParsedHtml(std::string_view html) : within_budget_(html_within_budget(html)) {
  const GumboOptions options = parse_options();
  // Over budget: an empty document, which complete() reports as unread.
  const std::string_view parsed = within_budget_ ? html : std::string_view();
  output_ = gumbo_parse_with_options(&options, parsed.data(), parsed.size());
}

bool ParsedHtml::complete() const {
  if (!within_budget_) return false;
  bool glued = false;
  for_each_element([&](const GumboElement& e) { glued = glued || may_have_glued_names(e); });
  return !glued;
}

ParsedHtml::~ParsedHtml() { gumbo_destroy_output(&kGumboDefaultOptions, output_); }

void ParsedHtml::for_each_element(const std::function<void(const GumboElement&)>& visit) const {
  std::vector<const GumboNode*> stack{output_->root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
    visit(n->v.element);
    const GumboVector& children = n->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
}

namespace {

constexpr std::string_view kEmptyNoscript = "<noscript></noscript";

// Where the browser's raw text that starts at `from` ends: the offset just
// past "</noscript" followed by whitespace, '/' or '>' (the end tag's own
// attributes and '>' are left as they were), or npos.
std::size_t raw_text_end(std::string_view html, std::size_t from) {
  constexpr std::string_view kEnd = "</noscript";
  for (auto at = html.find("</", from); at != std::string_view::npos;
       at = html.find("</", at + 2)) {
    if (at + kEnd.size() >= html.size()) return std::string_view::npos;
    const bool name_matches = ascii_istarts_with(html.substr(at), kEnd);
    const char next = html[at + kEnd.size()];
    if (name_matches && std::string_view("\t\n\f\r />").find(next) != std::string_view::npos) {
      return at + kEnd.size();
    }
  }
  return std::string_view::npos;
}

// The first <noscript> start tag at or after `from`: its offset and length.
std::optional<std::pair<std::size_t, std::size_t>> first_noscript(const std::string& html,
                                                                  std::size_t from) {
  const ParsedHtml parsed(html);
  std::optional<std::pair<std::size_t, std::size_t>> first;
  parsed.for_each_element([&](const GumboElement& e) {
    if (!is_html(e, GUMBO_TAG_NOSCRIPT) || e.original_tag.data == nullptr) return;
    const auto offset = static_cast<std::size_t>(e.original_tag.data - html.data());
    if (offset < from || offset >= html.size()) return;
    if (!first || offset < first->first) first = {{offset, e.original_tag.length}};
  });
  return first;
}

}  // namespace

std::optional<std::string> without_noscript_content(std::string_view html) {
  std::string out(html);
  std::size_t from = 0;
  for (int count = 0;; ++count) {
    const auto start = first_noscript(out, from);
    if (!start) return out;
    if (count == 100) return std::nullopt;
    const auto end = raw_text_end(out, start->first + start->second);
    if (end == std::string::npos) {
      out.resize(start->first);
      out += kEmptyNoscript;
      out += '>';
      return out;
    }
    out.replace(start->first, end - start->first, kEmptyNoscript);
    from = start->first + kEmptyNoscript.size();
  }
}

const char* attribute_value(const GumboElement& element, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&element.attributes, name);
  return attribute == nullptr ? nullptr : attribute->value;
}

}  // namespace phishdrill
