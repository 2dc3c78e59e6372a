// Tables as rows of stored values, without SQL: what the store-to-store copy
// (store/copy/) reads out of one adapter's database and hands to another's.
// A TableShape is a table as its database declares it at run time (so a
// table added later is seen without anyone listing it); a TableValue is one
// stored value, viewed (not owned) while the row holding it is visited.
// Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

struct ColumnShape {
  std::string name;
  std::string type;  // as the database declares it, lower case ("integer", "bigint", "boolean")
};

struct TableShape {
  std::string name;
  std::vector<ColumnShape> columns;     // in the table's order
  std::vector<std::string> references;  // the tables its foreign keys point to
};

// One stored value as the database holds it (SQLite keeps a value's own type,
// whatever its column declares).
struct TableValue {
  enum class Kind { kNull, kInteger, kReal, kText, kBlob };
  Kind kind = Kind::kNull;
  std::int64_t integer = 0;  // kInteger
  double real = 0;           // kReal
  std::string_view bytes;    // kText, kBlob: valid only while the row is visited
};

// Called once per row with its values in the order of the columns asked for;
// an error stops the visit and is what the visit returns.
using RowVisitor = std::function<Result<void>(std::span<const TableValue> row)>;

}  // namespace phishdrill
