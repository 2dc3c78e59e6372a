#include "store/postgres/connection.h"

#include <libpq-fe.h>

#include <charconv>

#include "store/postgres/redact_url.h"

namespace phishdrill::pg {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

[[noreturn]] void throw_shape(int row, int column, std::string_view expected) {
  throw Failure("XX000", "column " + std::to_string(column) + " of row " + std::to_string(row) +
                             " is not " + std::string(expected));
}

}  // namespace

bool Failure::is_connection_failure() const {
  return sqlstate_.starts_with("08") || sqlstate_ == "57P01" || sqlstate_ == "57P02" ||
         sqlstate_ == "57P03";
}

Error to_error(const Failure& failure) {
  if (failure.is_unique_violation()) {
    return Error{ErrorCode::kConflict, "already exists", {}, {}, 0};
  }
  if (failure.is_connection_failure()) {
    return Error{
        ErrorCode::kUnavailable, std::string("database unavailable: ") + failure.what(), {}, {}, 0};
  }
  return Error{ErrorCode::kInternal,
               "database error " + failure.sqlstate() + ": " + std::string(failure.what()),
               {},
               {},
               0};
}

Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}

int Rows::size() const { return PQntuples(result_); }

std::int64_t Rows::affected() const {
  const char* count = PQcmdTuples(result_);
  std::int64_t value = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), value);
  return value;
}

bool Rows::is_null(int row, int column) const { return PQgetisnull(result_, row, column) == 1; }

std::int64_t Rows::int64(int row, int column) const {
  if (is_null(row, column)) throw_shape(row, column, "an integer (it is NULL)");
  const char* text = PQgetvalue(result_, row, column);
  const char* end = text + PQgetlength(result_, row, column);
  std::int64_t value = 0;
  const auto [stop, error] = std::from_chars(text, end, value);
  if (error != std::errc() || stop != end) throw_shape(row, column, "an integer");
  return value;
}

std::string Rows::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

bool Rows::boolean(int row, int column) const {
  const std::string value = text(row, column);
  if (value == "t") return true;
  if (value == "f") return false;
  throw_shape(row, column, "a boolean");
}

std::optional<std::int64_t> Rows::optional_int64(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url, Access access) {
  // Defaults the URL may override (its parameters come after them): a host
  // that drops packets must not hold a connect longer than the pool waits.
  const char* const keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* const values[] = {"10", "phishdrill", url.c_str(), nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return fail(ErrorCode::kUnavailable, "database: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = redact_password_in(trimmed(PQerrorMessage(conn)), url);
    PQfinish(conn);
    return fail(ErrorCode::kUnavailable, "cannot connect to " + redact_url(url) + ": " + message);
  }
  auto connection = std::unique_ptr<Connection>(new Connection(conn, url));
  if (access == Access::kReadOnly) {
    try {
      connection->exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    } catch (const Failure& failure) {
      return std::unexpected(to_error(failure));
    }
  }
  return connection;
}

Connection::Connection(pg_conn* conn, std::string url) : conn_(conn), url_(std::move(url)) {
  // Warnings (e.g. "there is no transaction in progress") are not ours to print.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::throw_failure(pg_result* result, std::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state != nullptr) sqlstate = state;
    message = PQresultErrorMessage(result);
    PQclear(result);
  }
  if (message.empty()) message = PQerrorMessage(conn_);
  // A failure on the client's side (the server went away) has no SQLSTATE.
  if (sqlstate.empty()) sqlstate = PQstatus(conn_) == CONNECTION_BAD ? "08006" : "XX000";
  throw Failure(sqlstate, redact_password_in(std::string(what) + ": " + trimmed(message), url_));
}

void Connection::exec(std::string_view sql) {
  ++statements_sent_;
  pg_result* result = PQexec(conn_, std::string(sql).c_str());
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw_failure(result, "exec");
  PQclear(result);
}

const std::string& Connection::prepared_name(const std::string& sql) {
  if (const auto found = prepared_.find(sql); found != prepared_.end()) return found->second;
  const std::string name = "pd_" + std::to_string(prepared_.size() + 1);
  pg_result* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) {
    throw_failure(result, "prepare");
  }
  PQclear(result);
  return prepared_.emplace(sql, name).first->second;
}

Rows Connection::query(const std::string& sql, const std::vector<Param>& params) {
  ++statements_sent_;
  const std::string& name = prepared_name(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  pg_result* result = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                     values.data(), nullptr, nullptr, 0);
  const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw_failure(result, "query");
  return Rows(result);
}

void Connection::begin_copy(const std::string& sql) {
  pg_result* result = PQexec(conn_, sql.c_str());
  if (result == nullptr || PQresultStatus(result) != PGRES_COPY_IN) throw_failure(result, "copy");
  PQclear(result);
}

// The COPY's own result (drained of what follows it): once the server has
// refused a row, the COPY is over and this holds the server's error.
pg_result* Connection::copy_result() {
  pg_result* result = PQgetResult(conn_);
  while (pg_result* extra = PQgetResult(conn_)) PQclear(extra);
  return result;
}

void Connection::put_copy_data(std::string_view data) {
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1) {
    throw_failure(copy_result(), "copy");
  }
}

std::int64_t Connection::end_copy() {
  if (PQputCopyEnd(conn_, nullptr) != 1) throw_failure(copy_result(), "copy");
  pg_result* result = copy_result();
  if (result == nullptr || PQresultStatus(result) != PGRES_COMMAND_OK) {
    throw_failure(result, "copy");
  }
  return Rows(result).affected();
}

void Connection::abort_copy(const std::string& reason) noexcept {
  if (PQputCopyEnd(conn_, reason.c_str()) != 1) return;
  while (pg_result* result = PQgetResult(conn_)) PQclear(result);
}

bool Connection::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

bool Connection::idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }

int Connection::backend_pid() const { return PQbackendPID(conn_); }

int Connection::socket() const { return PQsocket(conn_); }

void Connection::consume_input() {
  if (PQconsumeInput(conn_) == 0) throw_failure(nullptr, "listen");
}

std::vector<std::string> Connection::take_notifications(std::string_view channel) {
  std::vector<std::string> payloads;
  while (pgNotify* notice = PQnotifies(conn_)) {
    if (channel == notice->relname) payloads.emplace_back(notice->extra);
    PQfreemem(notice);
  }
  return payloads;
}

}  // namespace phishdrill::pg
