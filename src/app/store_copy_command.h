// `phishdrill store copy --from sqlite:PATH --to postgres://…`: moves a
// single-node install's SQLite store into an empty PostgreSQL store
// (store/copy/store_copy.h does the work) and tells the user what it did,
// table by table, on `out`, and what went wrong on `err`. Needs no
// configuration file. Never prints the target's password: the URL is shown
// through pg::redact_url, and the copy's messages carry none.
// Thread-compatible.
#pragma once

#include <cstdio>
#include <string>

namespace phishdrill::app {

// The process exit code: 0 copied, 1 the copy failed (nothing committed),
// 2 a bad --from or --to.
int run_store_copy(const std::string& from, const std::string& to, std::FILE* out, std::FILE* err);

}  // namespace phishdrill::app
