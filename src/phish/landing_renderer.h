// Serving a landing page: every <form> is rewritten to POST back to the
// recipient's own tracking URL (so a submission is recorded, never sent to
// the original site), and the names of password inputs are collected so their
// values are dropped whatever the capture policy. Uses gumbo; the rest of the
// page is byte-preserved. Pure; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace phishdrill::phish {

// When `base_href` is set and the page has no <base>, a <base href> is added
// at the start of <head> so relative links, images and styles resolve against
// the page's original address.
std::string rewrite_forms(std::string_view html, std::string_view action_url,
                          std::string_view base_href = {});

std::set<std::string> password_input_names(std::string_view html);

}  // namespace phishdrill::phish
