// StoreLoader: fills an empty PostgreSQL store with whole tables, for the
// store-to-store copy (store/copy/). It works in the schema the URL's
// sessions use first (current_schema(): "public", or the search_path the
// URL's options set) and reads the tables from the database's own catalogue
// (information_schema, pg_constraint), not from a list kept here.
// Everything from begin() to commit() is one transaction: the tables it
// locks take no writes from anyone else until it ends, and nothing of it
// stays unless commit() succeeds (destroying the loader rolls back). No
// message it returns carries the URL's password.
// Not thread-safe: one thread drives a loader.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/postgres/connection.h"
#include "store/postgres/copy_rows.h"
#include "store/table_rows.h"

namespace phishdrill::pg {

class StoreLoader {
 public:
  // Connects (kUnavailable when it cannot); kBadRequest when the URL's
  // sessions have no schema to work in (a search_path naming none that exists).
  static Result<std::unique_ptr<StoreLoader>> open(const std::string& url);
  StoreLoader(const StoreLoader&) = delete;
  StoreLoader& operator=(const StoreLoader&) = delete;
  ~StoreLoader();

  // The schema the loader works in.
  const std::string& schema() const { return schema_; }

  // Applies this build's migrations (store/postgres/migrations.h, under
  // their advisory lock, each in its own transaction); returns how many ran.
  // Not inside begin()…commit().
  Result<int> migrate();

  // Every table of the schema, with its columns and the tables it references.
  Result<std::vector<TableShape>> tables();
  // Those of `tables` that hold at least one row.
  Result<std::vector<std::string>> tables_with_rows(const std::vector<std::string>& tables);

  // Opens the load's transaction and locks `tables` against other writers
  // (EXCLUSIVE: others may still read) until it ends.
  Result<void> begin(const std::vector<std::string>& tables);
  // COPY into `table` (`columns`, in this order): `produce` adds the rows;
  // returns how many the server took. An error from `produce` aborts the
  // COPY and is returned.
  Result<std::int64_t> load(const std::string& table, const std::vector<std::string>& columns,
                            const std::function<Result<void>(CopyRows&)>& produce);
  Result<std::int64_t> count_rows(const std::string& table);
  // Moves every identity or serial sequence of `table` past the largest value
  // its column holds and past `issued` (ids the source handed out before, of
  // rows deleted since), or back to the start when there is neither, so the
  // next row inserted without an id neither collides nor reuses an id;
  // returns how many it moved.
  Result<int> advance_sequences(const std::string& table, std::int64_t issued);
  Result<void> commit();

 private:
  StoreLoader(std::unique_ptr<Connection> conn, std::string schema)
      : conn_(std::move(conn)), schema_(std::move(schema)) {}
  void roll_back() noexcept;

  std::unique_ptr<Connection> conn_;
  std::string schema_;
  bool in_transaction_ = false;
};

}  // namespace phishdrill::pg
