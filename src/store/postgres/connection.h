// A thin RAII wrapper over one libpq connection (PGconn): parameterised
// queries only (text-format parameters, statements prepared once per
// connection and kept by their SQL text), and a typed reader over the rows.
// Failures throw pg::Failure carrying the SQLSTATE; only code inside
// src/store/postgres/ sees these exceptions (the store turns them into Error
// at its boundary with to_error). No message ever carries the password of
// the URL the connection was opened with.
// A Connection is not thread-safe: one thread uses it at a time (the pool
// hands it to one transaction).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

struct pg_conn;
struct pg_result;

namespace phishdrill::pg {

class Failure : public std::runtime_error {
 public:
  Failure(std::string sqlstate, const std::string& what)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool is_unique_violation() const { return sqlstate_ == "23505"; }
  // The server cannot be reached, the connection broke (class 08; a
  // client-side break is reported as 08006) or the server is shutting down.
  bool is_connection_failure() const;

 private:
  std::string sqlstate_;
};

// kConflict for a unique violation, kUnavailable when the database cannot be
// reached, kInternal (with the SQLSTATE) otherwise.
Error to_error(const Failure& failure);

// One query parameter in text format; nullopt is SQL NULL.
using Param = std::optional<std::string>;

inline Param param(std::int64_t value) { return std::to_string(value); }
inline Param param(int value) { return std::to_string(value); }
inline Param param(bool value) { return value ? "t" : "f"; }
inline Param param(std::string_view value) { return std::string(value); }
inline Param param(const std::string& value) { return value; }
inline Param param(const char* value) { return std::string(value); }
inline Param param(std::nullopt_t) { return std::nullopt; }
template <typename T>
Param param(const std::optional<T>& value) {
  return value ? param(*value) : std::nullopt;
}

// The rows of one result, owned (PQclear on destruction). Columns are
// 0-based; reading a column of the wrong shape throws Failure.
class Rows {
 public:
  explicit Rows(pg_result* result) : result_(result) {}
  Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Rows& operator=(Rows&&) = delete;
  Rows(const Rows&) = delete;
  ~Rows();

  int size() const;
  bool empty() const { return size() == 0; }
  // Rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;

  bool is_null(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  std::string text(int row, int column) const;
  bool boolean(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;

 private:
  pg_result* result_;
};

// One row of a Rows, for readers that take a row at a time.
class Row {
 public:
  Row(const Rows& rows, int row) : rows_(rows), row_(row) {}
  bool is_null(int column) const { return rows_.is_null(row_, column); }
  std::int64_t int64(int column) const { return rows_.int64(row_, column); }
  std::string text(int column) const { return rows_.text(row_, column); }
  bool boolean(int column) const { return rows_.boolean(row_, column); }
  std::optional<std::int64_t> optional_int64(int column) const {
    return rows_.optional_int64(row_, column);
  }

 private:
  const Rows& rows_;
  int row_;
};

// What a connection's transactions may do: a read-only session refuses any
// write, also in a statement run outside BEGIN.
enum class Access { kReadWrite, kReadOnly };

class Connection {
 public:
  // Connects to a postgres:// URL (libpq's URI syntax; sslmode and the other
  // parameters pass through; connect_timeout defaults to 10 seconds and
  // application_name to "phishdrill"). Fails (kUnavailable) when the server cannot be
  // reached or refuses the login; the message names the URL without its
  // password.
  static Result<std::unique_ptr<Connection>> open(const std::string& url,
                                                  Access access = Access::kReadWrite);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs SQL without parameters (may hold several statements): transaction
  // control and migrations only.
  void exec(std::string_view sql);

  // Runs one parameterised statement ($1, $2, …), prepared on first use on
  // this connection and reused after.
  Rows query(const std::string& sql, const std::vector<Param>& params);
  template <typename... Args>
  Rows run(const std::string& sql, const Args&... args) {
    return query(sql, std::vector<Param>{param(args)...});
  }

  // COPY … FROM STDIN in text format: begin_copy runs the statement,
  // put_copy_data sends rows (whole lines or any part of them), end_copy
  // finishes and returns the number of rows the server took. A failure,
  // ours (abort_copy) or the server's, ends the COPY and fails the
  // transaction it ran in.
  void begin_copy(const std::string& sql);
  void put_copy_data(std::string_view data);
  std::int64_t end_copy();
  void abort_copy(const std::string& reason) noexcept;

  // How many statements (exec or query) this connection was asked to run.
  std::uint64_t statements_sent() const { return statements_sent_; }

  // False once the connection broke: it must not be reused.
  bool healthy() const;
  // True when no transaction is open (neither active nor failed).
  bool idle() const;
  // The server process serving this connection (tests use it).
  int backend_pid() const;

  // For a connection that LISTENs (store/postgres/change_listener.h): its
  // socket, to wait on; reading what arrived (throws Failure when the
  // connection broke); and the payloads of the notifications that arrived
  // on `channel`, oldest first.
  int socket() const;
  void consume_input();
  std::vector<std::string> take_notifications(std::string_view channel);

 private:
  Connection(pg_conn* conn, std::string url);
  [[noreturn]] void throw_failure(pg_result* result, std::string_view what);
  pg_result* copy_result();
  const std::string& prepared_name(const std::string& sql);

  pg_conn* conn_;
  std::string url_;  // kept only to scrub its password from messages
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::uint64_t statements_sent_ = 0;
};

}  // namespace phishdrill::pg
