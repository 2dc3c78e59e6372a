#include "store/copy/copy_endpoints.h"

#include "core/ascii.h"

namespace phishdrill::store_copy {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

bool is_postgres_url(std::string_view text) {
  return ascii_istarts_with(text, "postgres://") || ascii_istarts_with(text, "postgresql://");
}

}  // namespace

Result<std::string> sqlite_path_from(std::string_view from) {
  if (is_postgres_url(from)) {
    return fail(ErrorCode::kBadRequest,
                "--from takes the SQLite file (sqlite:/path/phishdrill.db); copying out of "
                "PostgreSQL is not supported",
                "from");
  }
  std::string_view path = from;
  if (ascii_istarts_with(path, kSqliteScheme)) {
    path.remove_prefix(kSqliteScheme.size());
    // sqlite:///abs/path, as some tools write it, is the path /abs/path.
    if (path.starts_with("//")) path.remove_prefix(2);
  } else if (path.find("://") != std::string_view::npos) {
    return fail(ErrorCode::kBadRequest,
                "--from takes the SQLite file, as sqlite:/path/phishdrill.db or a plain path",
                "from");
  }
  if (path.empty()) {
    return fail(ErrorCode::kBadRequest,
                "--from names no file: give the SQLite file, e.g. sqlite:/var/lib/phishdrill/"
                "phishdrill.db",
                "from");
  }
  return std::string(path);
}

Result<std::string> postgres_url_from(std::string_view to) {
  if (!is_postgres_url(to)) {
    return fail(ErrorCode::kBadRequest,
                "--to takes a PostgreSQL URL: postgres://user:password@host:port/database"
                "?sslmode=…",
                "to");
  }
  if (to.ends_with("://")) {
    return fail(ErrorCode::kBadRequest, "--to names no server: postgres://user@host/database",
                "to");
  }
  return std::string(to);
}

}  // namespace phishdrill::store_copy
