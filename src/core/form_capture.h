// What Phishdrill may keep of a landing-page form submission. Keeping a value
// is opt-in per field: under `capture: values` only the fields the page names
// as safe are kept with their values, and even those are dropped when the
// page's HTML marks them secret or their name looks secret
// (core/secret_fields.h) — a second line of defence behind the check made when
// the page is saved. Every other field is kept as a name only. Done here,
// before anything is stored, logged or sent anywhere. Pure; thread-safe.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/landing_page.h"

namespace phishdrill {

using FormFields = std::vector<std::pair<std::string, std::string>>;

struct CapturedSubmission {
  std::vector<std::string> filled;  // names of non-empty fields (kFields, kValues)
  FormFields kept;                  // values of safe fields (kValues only), at most 200 chars each
};

// `secret_inputs`: the fields the page's HTML marks secret (secret_fields_in_html).
CapturedSubmission capture_submission(const FormFields& fields, const LandingPage& page,
                                      const std::set<std::string>& secret_inputs);

}  // namespace phishdrill
