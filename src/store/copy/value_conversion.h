// How one SQLite value becomes one PostgreSQL value in a store copy: the
// conversion a column needs follows from the two columns' declared types
// (conversion_between), and each stored value is checked against it
// (postgres_text), so a value that does not fit (text in an integer column,
// 2 in a flag) stops the copy instead of arriving changed.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/table_rows.h"

namespace phishdrill::store_copy {

enum class Conversion {
  kInteger,  // SQLite integer → bigint, integer, smallint
  kBoolean,  // SQLite integer 0/1 → boolean (SQLite has no boolean type)
  kReal,     // SQLite real or integer → double precision, real
  kText,     // SQLite text → text, character varying
  kBytes,    // SQLite blob → bytea
};

// The conversion from a SQLite column declared `sqlite_type` (its type
// affinity, by SQLite's rules) to a PostgreSQL column of `postgres_type`
// (information_schema's data_type); nullopt when there is none.
std::optional<Conversion> conversion_between(std::string_view sqlite_type,
                                             std::string_view postgres_type);

// The value in PostgreSQL's text input form ("42", "t", "\x0aff"), or
// nullopt for NULL. The view points into `value` or into `scratch`.
// kValidation, naming what was found, when the stored value does not fit.
Result<std::optional<std::string_view>> postgres_text(Conversion conversion,
                                                      const TableValue& value,
                                                      std::string& scratch);

}  // namespace phishdrill::store_copy
