#include "phish/landing_renderer.h"

#include <gumbo.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "core/html_escape.h"

namespace phishdrill::phish {
namespace {

struct Edit {
  std::size_t offset;
  std::size_t length;
  std::string text;
};

// Calls `visit` for every element of the parsed document.
void walk(const GumboNode* node, const std::function<void(const GumboElement&)>& visit) {
  std::vector<const GumboNode*> stack{node};
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

// The span of an attribute's value in the source, quotes included.
bool value_span(const GumboAttribute& attr, std::size_t& offset, std::size_t& length) {
  if (attr.original_value.length == 0 || attr.original_value.data == nullptr) return false;
  offset = attr.value_start.offset;
  length = attr.original_value.length;
  return true;
}

struct Parsed {
  explicit Parsed(std::string_view html)
      : output(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size())) {}
  ~Parsed() { gumbo_destroy_output(&kGumboDefaultOptions, output); }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;
  GumboOutput* output;
};

// Where a <base> may go: right after an explicit <head> (or <html>) start
// tag, else after a doctype, else at the very start.
std::size_t base_position(const GumboOutput* output, std::string_view html) {
  const GumboNode* root = output->root;
  for (unsigned i = 0; i < root->v.element.children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(root->v.element.children.data[i]);
    if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_HEAD &&
        child->v.element.original_tag.length > 0) {
      return child->v.element.start_pos.offset + child->v.element.original_tag.length;
    }
  }
  if (root->v.element.original_tag.length > 0) {
    return root->v.element.start_pos.offset + root->v.element.original_tag.length;
  }
  const auto doctype = html.find('>');
  return output->document->v.document.has_doctype && doctype != std::string_view::npos ? doctype + 1
                                                                                       : 0;
}

void add_base(const GumboOutput* output, std::string_view html, std::string_view href,
              std::vector<Edit>& edits) {
  bool has_base = false;
  walk(output->root, [&](const GumboElement& e) { has_base |= e.tag == GUMBO_TAG_BASE; });
  if (has_base) return;
  edits.push_back({base_position(output, html), 0, "<base href=\"" + html_escape(href) + "\">"});
}

}  // namespace

std::string rewrite_forms(std::string_view html, std::string_view action_url,
                          std::string_view base_href) {
  Parsed parsed(html);
  std::vector<Edit> edits;
  if (!base_href.empty()) add_base(parsed.output, html, base_href, edits);
  const std::string action = "\"" + html_escape(action_url) + "\"";
  walk(parsed.output->root, [&](const GumboElement& e) {
    if (e.tag != GUMBO_TAG_FORM || e.original_tag.length == 0) return;  // implied forms
    bool has_action = false;
    bool has_method = false;
    for (unsigned i = 0; i < e.attributes.length; ++i) {
      const auto* attr = static_cast<const GumboAttribute*>(e.attributes.data[i]);
      const std::string_view name(attr->name);
      std::size_t offset = 0;
      std::size_t length = 0;
      if (name == "action" || name == "method") {
        (name == "action" ? has_action : has_method) = true;
        const std::string replacement = name == "action" ? action : "\"post\"";
        if (value_span(*attr, offset, length)) {
          edits.push_back({offset, length, replacement});
        } else {  // a bare attribute: give it a value
          edits.push_back({attr->name_end.offset, 0, "=" + replacement});
        }
      }
    }
    const std::size_t after_name = e.start_pos.offset + 5;  // after "<form"
    // Edits at one offset are applied in order, each in front of the last:
    // push method first so the result reads action="…" method="post".
    if (!has_method) edits.push_back({after_name, 0, " method=\"post\""});
    if (!has_action) edits.push_back({after_name, 0, " action=" + action});
  });
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.offset > b.offset; });
  std::string out(html);
  for (const auto& edit : edits) {
    if (edit.offset + edit.length > out.size()) continue;
    out.replace(edit.offset, edit.length, edit.text);
  }
  return out;
}

std::set<std::string> password_input_names(std::string_view html) {
  Parsed parsed(html);
  std::set<std::string> names;
  walk(parsed.output->root, [&](const GumboElement& e) {
    if (e.tag != GUMBO_TAG_INPUT) return;
    const GumboAttribute* type = gumbo_get_attribute(&e.attributes, "type");
    const GumboAttribute* name = gumbo_get_attribute(&e.attributes, "name");
    if (type == nullptr || name == nullptr) return;
    std::string t(type->value);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "password") names.insert(name->value);
  });
  return names;
}

}  // namespace phishdrill::phish
