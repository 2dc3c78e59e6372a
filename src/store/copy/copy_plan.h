// CopyPlan: which tables and columns a SQLite-to-PostgreSQL store copy moves,
// in which order and with which conversion, worked out from the shapes both
// databases declare at run time (never from a hand-kept list of tables), so
// a table added to the schemas later is copied, or stops the copy loudly;
// it is never skipped in silence. A table in one database and not the other
// is an error, unless tables_not_copied() names it with the reason; so is
// a column in one table and not the other, or a pair of column types with no
// conversion (store/copy/value_conversion.h). Tables come in an order that
// copies each after every table its foreign keys (in the target) point to.
// Pure; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/copy/value_conversion.h"
#include "store/table_rows.h"

namespace phishdrill::store_copy {

struct ColumnPlan {
  std::string name;
  Conversion conversion = Conversion::kText;
};

struct TablePlan {
  std::string name;
  std::vector<ColumnPlan> columns;  // in the target table's order

  std::vector<std::string> column_names() const;
};

struct NotCopied {
  std::string_view table;
  std::string_view reason;
};

// The tables a copy leaves alone on purpose, each with why.
std::span<const NotCopied> tables_not_copied();

// kValidation, naming every table and column at fault, when the two
// databases' tables do not match.
Result<std::vector<TablePlan>> plan_copy(const std::vector<TableShape>& sqlite_tables,
                                         const std::vector<TableShape>& postgres_tables);

}  // namespace phishdrill::store_copy
