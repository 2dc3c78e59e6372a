// The two ends of `phishdrill store copy`, as the user writes them: --from
// is the SQLite file ("sqlite:/path/phishdrill.db" or a plain path), --to a
// PostgreSQL URL ("postgres://user:pw@host:port/db?sslmode=…", libpq's
// syntax). Each parser answers kBadRequest with a message that says what is
// expected and never echoes a password. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill::store_copy {

// The SQLite file's path.
Result<std::string> sqlite_path_from(std::string_view from);

// The PostgreSQL URL, unchanged.
Result<std::string> postgres_url_from(std::string_view to);

}  // namespace phishdrill::store_copy
