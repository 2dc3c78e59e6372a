// Target: a person who can receive simulations, and the rules for its fields.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

struct TargetFields {
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string position;
  std::string department;
  std::string manager_email;  // optional
  std::string locale;         // optional, e.g. "en" or "en-US"
};

struct Target {
  std::int64_t id = 0;
  TargetFields fields;
};

inline constexpr std::size_t kMaxTargetTextLength = 200;

// Normalises (trims every field, lower-cases emails) and validates: email
// required and valid; manager_email empty or valid; text fields valid UTF-8,
// at most kMaxTargetTextLength characters, no control characters; locale empty
// or a BCP 47-like tag (letters, digits, '-', at most 35 chars). HTML and
// template syntax in names are allowed: they are escaped when rendered.
// On failure the error's field is `field_prefix` + "email" (etc.), e.g.
// "targets[3].email"; `field_prefix` may be empty.
Result<TargetFields> validate_target(TargetFields target, std::string_view field_prefix = {});

}  // namespace phishdrill
