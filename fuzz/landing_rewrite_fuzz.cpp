// Fuzzes landing-page serving: rewrite_forms and password_input_names. The
// input is the page; an optional part after a NUL is the page's original
// address (the <base href>). Invariants, checked by parsing the output with
// gumbo as a browser would: every form posts to the tracking URL with method
// POST, and the password inputs the page had are still password inputs under
// the same names (so their values are still dropped).
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "phish/landing_renderer.h"

using phishdrill::fuzz::check;

namespace {

constexpr std::string_view kAction = "https://phish.example/t/landing?rid=r1&x=\"1\"";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// True when every form element written in the page (not one gumbo implies)
// has action == kAction and method == post.
bool forms_post_back(std::string_view html) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  bool ok = true;
  std::vector<const GumboNode*> stack{output->root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboElement& element = node->v.element;
    if (element.tag == GUMBO_TAG_FORM && element.original_tag.length > 0) {
      const GumboAttribute* action = gumbo_get_attribute(&element.attributes, "action");
      const GumboAttribute* method = gumbo_get_attribute(&element.attributes, "method");
      ok &= action != nullptr && action->value == kAction;
      ok &= method != nullptr && iequals(method->value, "post");
    }
    for (unsigned i = 0; i < element.children.length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(element.children.data[i]));
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = phishdrill::fuzz::split_parts(phishdrill::fuzz::as_text(data, size), 2);
  const std::string_view page = parts[0];
  const std::string_view base_href = parts[1];

  const auto passwords = phishdrill::phish::password_input_names(page);
  const std::string served = phishdrill::phish::rewrite_forms(page, kAction, base_href);
  check(forms_post_back(served), "every form posts back to the tracking URL");
  const auto served_passwords = phishdrill::phish::password_input_names(served);
  check(std::includes(served_passwords.begin(), served_passwords.end(), passwords.begin(),
                      passwords.end()),
        "password inputs keep their names");
  return 0;
}
