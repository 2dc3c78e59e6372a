#include "store/sqlite/table_snapshot.h"

#include <filesystem>

#include "store/sqlite/migrations.h"

namespace phishdrill::sqlite {
namespace {

// `name` as an SQL identifier: names come from the file's own catalogue, so
// they are quoted, never trusted to be plain words.
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::unexpected<Error> failed(const std::exception& e) {
  return fail(ErrorCode::kInternal, std::string("SQLite source: ") + e.what());
}

TableValue value_of(const Statement& row, int column) {
  TableValue value;
  switch (row.stored(column)) {
    case Statement::Stored::kNull:
      break;
    case Statement::Stored::kInteger:
      value.kind = TableValue::Kind::kInteger;
      value.integer = row.int64(column);
      break;
    case Statement::Stored::kReal:
      value.kind = TableValue::Kind::kReal;
      value.real = row.real(column);
      break;
    case Statement::Stored::kText:
      value.kind = TableValue::Kind::kText;
      value.bytes = row.bytes(column);
      break;
    case Statement::Stored::kBlob:
      value.kind = TableValue::Kind::kBlob;
      value.bytes = row.bytes(column);
      break;
  }
  return value;
}

std::vector<ColumnShape> columns_of(Connection& db, const std::string& table) {
  std::vector<ColumnShape> columns;
  auto rows = db.prepare("SELECT name, lower(type) FROM pragma_table_info(?) ORDER BY cid");
  rows.bind(1, table);
  while (rows.step()) columns.push_back({rows.text(0), rows.text(1)});
  return columns;
}

std::vector<std::string> references_of(Connection& db, const std::string& table) {
  std::vector<std::string> references;
  auto rows = db.prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?) ORDER BY 1");
  rows.bind(1, table);
  while (rows.step()) references.push_back(rows.text(0));
  return references;
}

}  // namespace

TableSnapshot::TableSnapshot(const std::string& path) : db_(path, ConnectionRole::kReadOnly) {}

Result<std::unique_ptr<TableSnapshot>> TableSnapshot::open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorCode::kNotFound, "no SQLite database file at " + path);
  }
  try {
    std::unique_ptr<TableSnapshot> snapshot(new TableSnapshot(path));
    // One read transaction for every read that follows: a consistent view.
    snapshot->db_.exec("BEGIN");
    auto probe = snapshot->db_.prepare("SELECT count(*) FROM sqlite_schema");
    probe.step();
    return snapshot;
  } catch (const Failure& e) {
    return fail(ErrorCode::kBadRequest, path + " is not a readable SQLite database: " + e.what());
  }
}

Result<int> TableSnapshot::schema_version() {
  try {
    return recorded_schema_version(db_);
  } catch (const std::exception& e) {
    return failed(e);
  }
}

Result<std::vector<TableShape>> TableSnapshot::tables() {
  try {
    std::vector<TableShape> tables;
    auto names = db_.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name");
    while (names.step()) tables.push_back({names.text(0), {}, {}});
    for (auto& table : tables) {
      table.columns = columns_of(db_, table.name);
      table.references = references_of(db_, table.name);
    }
    return tables;
  } catch (const std::exception& e) {
    return failed(e);
  }
}

Result<std::int64_t> TableSnapshot::count_rows(const std::string& table) {
  try {
    auto count = db_.prepare("SELECT count(*) FROM " + quoted(table));
    count.step();
    return count.int64(0);
  } catch (const std::exception& e) {
    return failed(e);
  }
}

Result<std::int64_t> TableSnapshot::last_issued_id(const std::string& table) {
  try {
    auto exists = db_.prepare(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'");
    exists.step();
    if (exists.int64(0) == 0) return 0;
    auto issued = db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = ?");
    issued.bind(1, table);
    issued.step();
    return issued.int64(0);
  } catch (const std::exception& e) {
    return failed(e);
  }
}

Result<void> TableSnapshot::for_each_row(const std::string& table,
                                         const std::vector<std::string>& columns,
                                         const RowVisitor& visit) {
  if (columns.empty()) return fail(ErrorCode::kInternal, "no columns to read from " + table);
  try {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      sql += (i == 0 ? "" : ", ") + quoted(columns[i]);
    }
    auto rows = db_.prepare(sql + " FROM " + quoted(table));
    std::vector<TableValue> row(columns.size());
    while (rows.step()) {
      for (std::size_t i = 0; i < row.size(); ++i) row[i] = value_of(rows, static_cast<int>(i));
      PD_TRY(visit(row));
    }
    return {};
  } catch (const std::exception& e) {
    return failed(e);
  }
}

}  // namespace phishdrill::sqlite
