// Fuzzes landing-page serving (rewrite_forms). The input is the page; an
// optional part after a NUL is the page's original address (the <base href>).
// Invariant, checked by parsing the served page with gumbo as a browser
// would: every way to submit posts back to the tracking URL, i.e. every form
// written in the page has action = the tracking URL and method = post, and
// every button or input with formaction / formmethod points back too.
#include <gumbo.h>

#include <string>
#include <vector>

#include "core/ascii.h"
#include "fuzz_input.h"
#include "phish/landing_renderer.h"

using phishdrill::ascii_iequals;
using phishdrill::fuzz::check;

namespace {

constexpr std::string_view kAction = "https://phish.example/t/landing?rid=r1&x=\"1\"";

const char* attribute(const GumboElement& element, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&element.attributes, name);
  return attr == nullptr ? nullptr : attr->value;
}

bool posts_back(const GumboElement& element) {
  const bool html = element.tag_namespace == GUMBO_NAMESPACE_HTML;
  if (html && element.tag == GUMBO_TAG_FORM && element.original_tag.length > 0) {
    const char* action = attribute(element, "action");
    const char* method = attribute(element, "method");
    return action != nullptr && action == kAction && method != nullptr &&
           ascii_iequals(method, "post");
  }
  if (html && (element.tag == GUMBO_TAG_BUTTON || element.tag == GUMBO_TAG_INPUT)) {
    const char* formaction = attribute(element, "formaction");
    const char* formmethod = attribute(element, "formmethod");
    return (formaction == nullptr || formaction == kAction) &&
           (formmethod == nullptr || ascii_iequals(formmethod, "post"));
  }
  return true;
}

// True when every element of the served page posts back.
bool page_posts_back(std::string_view html) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  bool ok = true;
  std::vector<const GumboNode*> stack{output->root};
  while (!stack.empty() && ok) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    ok = posts_back(node->v.element);
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i]));
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = phishdrill::fuzz::split_parts(phishdrill::fuzz::as_text(data, size), 2);
  const std::string served = phishdrill::phish::rewrite_forms(parts[0], kAction, parts[1]);
  check(page_posts_back(served), "every form and submit control posts back to the tracking URL");
  return 0;
}
