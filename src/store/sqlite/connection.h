// A thin RAII wrapper over the SQLite C API: a connection and its prepared
// statements. Failures throw sqlite::Failure; only code inside src/store/ sees
// these exceptions (SqliteStore turns them into Error at its boundary).
// A Connection is not thread-safe: its owner serialises access.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace phishdrill::sqlite {

class Failure : public std::runtime_error {
 public:
  Failure(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  // True for a UNIQUE / PRIMARY KEY constraint violation.
  bool is_unique_violation() const;

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Binds are 1-based, as in SQLite. Strings are copied by SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);

  // Advances; true while a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  // Resets for re-execution with new bindings (bindings are kept).
  void reset();

  std::int64_t int64(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;
  // An integer column read as a flag (SQLite has no boolean type).
  bool boolean(int column) const { return int64(column) != 0; }

  // The type SQLite stored the column's value with (whatever the column declares).
  enum class Stored { kNull, kInteger, kReal, kText, kBlob };
  Stored stored(int column) const;
  double real(int column) const;
  // A text or blob value, not copied: valid until the next step() or reset().
  std::string_view bytes(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// The writer creates the file and holds a large page cache (it commits the
// tracking hot path); a reader refuses writes (query_only) and keeps a small
// cache, so several can run beside the writer in WAL mode. A read-only
// connection opens an existing file without the right to write it at all,
// changes no setting of the file and, when no process has the file open,
// leaves no -wal or -shm file beside it (the source of a copy, store/copy/).
enum class ConnectionRole { kWriter, kReader, kReadOnly };

class Connection {
 public:
  // Opens the database file (the writer creates it) with WAL,
  // synchronous=NORMAL, foreign keys on and a busy timeout.
  explicit Connection(const std::string& path, ConnectionRole role = ConnectionRole::kWriter);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  // A prepared statement kept for the connection's lifetime (hot paths),
  // reset and ready for new bindings. `sql` must be a string literal.
  Statement& cached(const char* sql);
  std::int64_t last_insert_id() const;
  int changes() const;

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, std::unique_ptr<Statement>> cache_;
};

}  // namespace phishdrill::sqlite
