// The rule for a password someone chooses (or an admin sets): at least
// kMinPasswordLength characters, at most 1024 bytes, and not the account's own
// email address. Only its argon2id hash leaves here. Pure apart from the
// hash's random salt; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill::service {

// The hash of `password` for the account `email` (normalised), or
// kValidation naming `field`.
Result<std::string> hash_new_password(std::string_view password, std::string_view email,
                                      std::string_view field);

}  // namespace phishdrill::service
