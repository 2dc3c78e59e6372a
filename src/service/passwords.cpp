#include "service/passwords.h"

#include <fmt/format.h>

#include "core/email_address.h"
#include "core/text_rules.h"
#include "core/user.h"
#include "crypto/sodium.h"

namespace phishdrill::service {

Result<std::string> hash_new_password(std::string_view password, std::string_view email,
                                      std::string_view field) {
  if (utf8_length(password) < kMinPasswordLength) {
    return fail(ErrorCode::kValidation,
                fmt::format("the password must have at least {} characters", kMinPasswordLength),
                std::string(field));
  }
  if (password.size() > 1024) {
    return fail(ErrorCode::kValidation, "the password is longer than 1024 bytes",
                std::string(field));
  }
  if (normalize_email(password) == email) {
    return fail(ErrorCode::kValidation, "the password may not be your email address",
                std::string(field));
  }
  return crypto::hash_password(password);
}

}  // namespace phishdrill::service
