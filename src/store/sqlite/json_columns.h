// The SQLite adapter's names for the JSON text columns shared by every store
// adapter (store/json_columns.h). Pure functions; thread-safe.
#pragma once

#include "store/json_columns.h"

namespace phishdrill::sqlite {

using json_columns::attachments_from_json;
using json_columns::attachments_to_json;
using json_columns::headers_from_json;
using json_columns::headers_to_json;
using json_columns::red_flags_from_json;
using json_columns::red_flags_to_json;
using json_columns::strings_from_json;
using json_columns::strings_to_json;

}  // namespace phishdrill::sqlite
