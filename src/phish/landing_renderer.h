// Serving a landing page: every way the page has to submit a form is pointed
// back at the recipient's own tracking URL, so a submission is recorded and
// never sent anywhere else.
//  - every <form> (HTML namespace, written in the source): action = the
//    tracking URL, method = post, enctype = urlencoded (what the submit
//    handler parses); target and accept-charset are removed;
//  - every <button>/<input> with formaction, formmethod, formenctype or
//    formtarget: formaction = the tracking URL, formmethod = post, formenctype
//    = urlencoded, formtarget removed (inputs joining a form by form="id" need
//    nothing: the form they join is rewritten; one naming no form submits
//    nowhere);
//  - srcdoc is removed from <iframe>/<frame> (an inline document is not
//    rewritten; the CSP allows no frames anyway);
//  - <noscript> elements are emptied (core/html_tree.h), so the browser
//    reads the page as gumbo does.
// Each affected start tag is regenerated whole from gumbo's parse (the
// browser's rules: first of duplicate attributes wins, entities decoded,
// valueless attributes empty) and every value re-escaped; the rest of the page
// is byte-preserved. If a tag's source span cannot be verified the page is
// replaced by an empty one (fail closed). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill::phish {

// `action_url` is written into forms and submit controls (escaped).
// When `base_href` is set and the page has no <base>, a <base href> is added
// at the start of <head> so relative links, images and styles resolve against
// the page's original address. `head_insert` (verbatim, e.g. a marker for a
// script) goes at the same place, after that <base>.
std::string rewrite_forms(std::string_view html, std::string_view action_url,
                          std::string_view base_href = {}, std::string_view head_insert = {});

}  // namespace phishdrill::phish
