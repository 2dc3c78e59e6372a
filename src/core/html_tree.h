// A parsed HTML document (gumbo, the HTML5 parsing rules browsers use) and a
// walk over its elements, templates' contents included. Pure; one
// ParsedHtml per thread (values are thread-compatible).
#pragma once

#include <gumbo.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

class ParsedHtml {
 public:
  // `html` must outlive this object: nodes point into it.
  explicit ParsedHtml(std::string_view html);
  ~ParsedHtml();
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  const GumboOutput& output() const { return *output_; }

  // False when the document was over core/html_budget.h's limits (nothing
  // was parsed), or when the tree may differ from a browser's: gumbo (parsing with its
  // error list off, which deep nesting needs) misreads the name of an
  // attribute that follows a duplicate one, gluing the two ("x x formaction"
  // reads as "xformaction"); the glued name's source text then spans a space
  // or '/'. Callers that decide what is safe fail closed.
  bool complete() const;

  // Calls `visit` for every element and template in document order.
  void for_each_element(const std::function<void(const GumboElement&)>& visit) const;

 private:
  bool within_budget_;
  GumboOutput* output_;
};

// True for an element in the HTML namespace (not an <svg> or <math> look-alike).
inline bool is_html(const GumboElement& element, GumboTag tag) {
  return element.tag == tag && element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

// The page as a browser with scripting on reads it. gumbo parses as if
// scripting were off, reading a <noscript>'s content as markup, while such a
// browser reads it as raw text up to the first "</noscript": a form gumbo
// sees inside an attribute there would be live in the browser. So each
// <noscript> element is emptied, up to that end tag, leaving
// "<noscript></noscript…": the same to both. Nothing else changes. nullopt
// when the page has more than 100 of them (the caller fails closed).
std::optional<std::string> without_noscript_content(std::string_view html);

// The attribute's decoded value, or nullptr when absent (first of duplicates wins).
const char* attribute_value(const GumboElement& element, const char* name);

}  // namespace phishdrill
