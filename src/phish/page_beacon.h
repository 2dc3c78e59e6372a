// The landing page's beacon: a small script Phishdrill adds (under the page's
// nonce) that posts once to the phish server, same origin, after the page has
// been visible for a while and the person has used it — a trusted pointer,
// key, touch or scroll event. The hit classifier takes a valid beacon as
// evidence of a person (HitKind::kBeacon). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill::phish {

// JavaScript (no <script> tag) posting `v=<visible ms>&i=<interactions>` to
// `beacon_url` (absolute, same origin as the page) once both thresholds are met.
std::string page_beacon_script(std::string_view beacon_url, int min_visible_ms,
                               int min_interactions);

}  // namespace phishdrill::phish
