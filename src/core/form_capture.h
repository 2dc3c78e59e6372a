// What Phishdrill may keep of a landing-page form submission. Under every
// policy the values of password inputs and of fields whose names look secret
// (pass, pwd, pin, otp, token, secret, card, cvv, ssn, …) are dropped here,
// before anything is stored, logged or sent anywhere. Pure; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/landing_page.h"

namespace phishdrill {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// True for field names that may carry a secret.
bool is_secret_field_name(std::string_view name);

struct CapturedSubmission {
  std::vector<std::string> filled;  // names of non-empty fields (kFields, kValues)
  FormFields kept;                  // non-secret values (kValues only), at most 200 chars each
};

// `password_inputs`: names of the page's <input type="password"> fields.
CapturedSubmission capture_submission(const FormFields& fields, CapturePolicy policy,
                                      const std::set<std::string>& password_inputs);

}  // namespace phishdrill
