#include "core/html_tree.h"

#include <vector>

namespace phishdrill {

ParsedHtml::ParsedHtml(std::string_view html)
    : output_(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size())) {}

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

const char* attribute_value(const GumboElement& element, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&element.attributes, name);
  return attribute == nullptr ? nullptr : attribute->value;
}

}  // namespace phishdrill
