#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace phishdrill::sqlite {
namespace {

[[noreturn]] void throw_failure(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw Failure(code, message);
}

// What sqlite3_open_v2 is given for `path` in `role`: a read-only connection
// gets a URI (so no path is taken for one). With no write-ahead log beside the
// file (no process has it open: the last to close removed it), it opens the
// file immutable and leaves no -wal or -shm file behind (perhaps owned by
// another user than the server's); with a log there, it reads it as usual,
// under SQLite's locks.
std::string open_name(const std::string& path, ConnectionRole role) {
  if (role != ConnectionRole::kReadOnly) return path;
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789abcdef";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[c & 15];
    } else {
      uri += c;
    }
  }
  std::error_code ec;
  return uri + (std::filesystem::exists(path + "-wal", ec) ? "?mode=ro" : "?mode=ro&immutable=1");
}

}  // namespace

bool Failure::is_unique_violation() const {
  return code_ == SQLITE_CONSTRAINT_UNIQUE || code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) {
    throw_failure(db_, rc, "bind");
  }
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8);
      rc != SQLITE_OK) {
    throw_failure(db_, rc, "bind");
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) throw_failure(db_, rc, "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int extended = sqlite3_extended_errcode(db_);
  sqlite3_reset(stmt_);
  throw Failure(extended, std::string("step: ") + sqlite3_errmsg(db_));
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() { sqlite3_reset(stmt_); }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Statement::Stored Statement::stored(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER:
      return Stored::kInteger;
    case SQLITE_FLOAT:
      return Stored::kReal;
    case SQLITE_TEXT:
      return Stored::kText;
    case SQLITE_BLOB:
      return Stored::kBlob;
    default:
      return Stored::kNull;
  }
}

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string_view Statement::bytes(int column) const {
  // The pointer first, then the size (SQLite's rule for the two calls).
  const void* data = sqlite3_column_type(stmt_, column) == SQLITE_BLOB
                         ? sqlite3_column_blob(stmt_, column)
                         : static_cast<const void*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return {static_cast<const char*>(data),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

Connection::Connection(const std::string& path, ConnectionRole role) {
  const int mode = role == ConnectionRole::kWriter   ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                   : role == ConnectionRole::kReader ? SQLITE_OPEN_READWRITE
                                                     : SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  const int rc =
      sqlite3_open_v2(open_name(path, role).c_str(), &db_, mode | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database " + path + ": " + sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Failure(rc, message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  if (role == ConnectionRole::kReadOnly) {
    exec("PRAGMA query_only=ON");
    return;
  }
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA foreign_keys=ON");
  exec("PRAGMA temp_store=MEMORY");
  // Tracking appends tens of thousands of events a second: a larger page
  // cache and fewer, larger checkpoints (each ends with an fsync) keep the
  // writer's commits short.
  if (role == ConnectionRole::kReader) {
    exec("PRAGMA query_only=ON");
    exec("PRAGMA cache_size=-8192");
    return;
  }
  exec("PRAGMA cache_size=-65536");
  exec("PRAGMA wal_autocheckpoint=8192");
}

Connection::~Connection() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close_v2(db_);
}

Statement& Connection::cached(const char* sql) {
  auto& slot = cache_[sql];
  if (!slot) slot = std::make_unique<Statement>(prepare(sql));
  slot->reset();
  return *slot;
}

void Connection::exec(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  if (int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error); rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw Failure(sqlite3_extended_errcode(db_), "exec: " + message);
  }
}

Statement Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
      rc != SQLITE_OK) {
    throw_failure(db_, rc, "prepare");
  }
  return Statement(db_, stmt);
}

std::int64_t Connection::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

}  // namespace phishdrill::sqlite
