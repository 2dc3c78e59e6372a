// Content-Security-Policy for every answer of the phish server. What a
// person types on a landing page must not leave it: forms may only post to
// the phish server itself (form-action 'self'), scripts may only talk to it
// (connect-src 'self'), no frames, plugins or workers, and the page's own
// scripts do not run unless an admin allowed them on that page; Phishdrill's
// own script runs by a per-response nonce. Images, styles, fonts and media of
// a cloned page load from anywhere. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill::phish {

// For a landing page rendered with `nonce` (phish/content_cache.h). With
// `allow_page_scripts` every script may run (a nonce would disable
// 'unsafe-inline', so none is listed), still under the same form-action and
// connect-src.
std::string landing_page_policy(std::string_view nonce, bool allow_page_scripts);

// For the teaching page: its inline style only.
std::string_view teaching_page_policy();

// For everything else (pixel, decoy, 404s, report, redirects): nothing loads.
std::string_view default_phish_policy();

}  // namespace phishdrill::phish
