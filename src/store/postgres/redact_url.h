// redact_url: a database URL fit for a log line or an error message, with
// any password replaced by "***". Handles the userinfo of a URI
// (postgres://user:secret@host/db) and a "password" query parameter
// (…?password=secret); anything else is kept. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill::pg {

std::string redact_url(std::string_view url);

// `text` with every occurrence of the password carried by `url` (if any)
// replaced by "***": for messages that may echo parts of the URL.
std::string redact_password_in(std::string_view text, std::string_view url);

}  // namespace phishdrill::pg
