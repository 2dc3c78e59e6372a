#include "store/postgres/store_loader.h"

#include <map>
#include <type_traits>

#include "store/postgres/migrations.h"

namespace phishdrill::pg {
namespace {

// The whole message, also for a unique violation (to_error keeps only
// "already exists", right for a port but not for a copy that must say what
// broke).
Error error_of(const Failure& failure) {
  if (failure.is_connection_failure()) return to_error(failure);
  return Error{ErrorCode::kInternal,
               "PostgreSQL error " + failure.sqlstate() + ": " + std::string(failure.what()),
               {},
               {},
               0};
}

// Runs `work`, turning the adapter's Failure into an Error at this boundary.
template <typename T, typename Work>
Result<T> guarded(Work&& work) {
  try {
    if constexpr (std::is_void_v<T>) {
      work();
      return {};
    } else {
      return work();
    }
  } catch (const Failure& failure) {
    return std::unexpected(error_of(failure));
  }
}

// An identifier from the catalogue, quoted: never trusted to be a plain word.
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string column_list(const std::vector<std::string>& columns) {
  std::string list;
  for (const auto& column : columns) list += (list.empty() ? "" : ", ") + quoted(column);
  return list;
}

}  // namespace

Result<std::unique_ptr<StoreLoader>> StoreLoader::open(const std::string& url) {
  auto conn = PD_TRY(Connection::open(url));
  const auto schema =
      PD_TRY(guarded<std::optional<std::string>>([&]() -> std::optional<std::string> {
        const auto rows = conn->run("SELECT current_schema()");
        if (rows.is_null(0, 0)) return std::nullopt;
        return rows.text(0, 0);
      }));
  if (!schema) {
    return fail(ErrorCode::kBadRequest,
                "the PostgreSQL database has no schema to work in: the URL's search_path names "
                "none that exists (create it first)");
  }
  return std::unique_ptr<StoreLoader>(new StoreLoader(std::move(conn), *schema));
}

StoreLoader::~StoreLoader() { roll_back(); }

void StoreLoader::roll_back() noexcept {
  if (!in_transaction_) return;
  in_transaction_ = false;
  try {
    conn_->exec("ROLLBACK");
  } catch (const Failure&) {
    // The connection broke: the server dropped the transaction with it.
  }
}

Result<int> StoreLoader::migrate() {
  return guarded<int>([&] { return apply_migrations(*conn_); });
}

Result<std::vector<TableShape>> StoreLoader::tables() {
  return guarded<std::vector<TableShape>>([&] {
    std::map<std::string, TableShape> tables;
    const auto columns = conn_->run(
        "SELECT c.table_name::text, c.column_name::text, lower(c.data_type::text) "
        "FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
        "ORDER BY c.table_name, c.ordinal_position");
    for (int i = 0; i < columns.size(); ++i) {
      auto& table = tables[columns.text(i, 0)];
      table.name = columns.text(i, 0);
      table.columns.push_back({columns.text(i, 1), columns.text(i, 2)});
    }
    const auto references = conn_->run(
        "SELECT DISTINCT c.relname::text, r.relname::text FROM pg_constraint k "
        "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE k.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, 2");
    for (int i = 0; i < references.size(); ++i) {
      if (const auto found = tables.find(references.text(i, 0)); found != tables.end()) {
        found->second.references.push_back(references.text(i, 1));
      }
    }
    std::vector<TableShape> out;
    for (auto& [name, table] : tables) out.push_back(std::move(table));
    return out;
  });
}

Result<std::vector<std::string>> StoreLoader::tables_with_rows(
    const std::vector<std::string>& tables) {
  return guarded<std::vector<std::string>>([&] {
    std::vector<std::string> with_rows;
    for (const auto& table : tables) {
      const auto rows =
          conn_->run("SELECT EXISTS (SELECT 1 FROM " + quoted(schema_) + "." + quoted(table) + ")");
      if (rows.boolean(0, 0)) with_rows.push_back(table);
    }
    return with_rows;
  });
}

Result<void> StoreLoader::begin(const std::vector<std::string>& tables) {
  return guarded<void>([&] {
    conn_->exec("BEGIN ISOLATION LEVEL READ COMMITTED");
    in_transaction_ = true;
    std::string list;
    for (const auto& table : tables) {
      list += (list.empty() ? "" : ", ") + quoted(schema_) + "." + quoted(table);
    }
    if (!list.empty()) conn_->exec("LOCK TABLE " + list + " IN EXCLUSIVE MODE");
  });
}

Result<std::int64_t> StoreLoader::load(const std::string& table,
                                       const std::vector<std::string>& columns,
                                       const std::function<Result<void>(CopyRows&)>& produce) {
  PD_TRY(guarded<void>([&] {
    conn_->begin_copy("COPY " + quoted(schema_) + "." + quoted(table) + " (" +
                      column_list(columns) + ") FROM STDIN");
  }));
  CopyRows rows(*conn_);
  auto produced = produce(rows);
  if (produced) produced = rows.flush();
  if (!produced) {
    conn_->abort_copy(produced.error().message);
    return std::unexpected(std::move(produced).error());
  }
  return guarded<std::int64_t>([&] { return conn_->end_copy(); });
}

Result<std::int64_t> StoreLoader::count_rows(const std::string& table) {
  return guarded<std::int64_t>([&] {
    return conn_->run("SELECT count(*) FROM " + quoted(schema_) + "." + quoted(table)).int64(0, 0);
  });
}

Result<int> StoreLoader::advance_sequences(const std::string& table, std::int64_t issued) {
  return guarded<int>([&] {
    const std::string name = quoted(schema_) + "." + quoted(table);
    const auto sequences = conn_->run(
        "SELECT a.attname::text, pg_get_serial_sequence($1::text, a.attname::text) "
        "FROM pg_attribute a WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 "
        "AND NOT a.attisdropped AND pg_get_serial_sequence($1::text, a.attname::text) IS NOT NULL "
        "ORDER BY a.attnum",
        name);
    for (int i = 0; i < sequences.size(); ++i) {
      const std::string last =
          "GREATEST(COALESCE(max(" + quoted(sequences.text(i, 0)) + "), 0), $2::bigint)";
      // setval(…, 1, false): the next id is 1; setval(…, n, true): it is n + 1.
      conn_->run("SELECT setval($1::text::regclass, GREATEST(" + last + ", 1), " + last +
                     " > 0) FROM " + name,
                 sequences.text(i, 1), issued);
    }
    return sequences.size();
  });
}

Result<void> StoreLoader::commit() {
  return guarded<void>([&] {
    conn_->exec("COMMIT");
    in_transaction_ = false;
  });
}

}  // namespace phishdrill::pg
