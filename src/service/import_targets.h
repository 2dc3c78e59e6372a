// Importing targets from a CSV file into a new group or an existing one,
// all or nothing: a file with any bad row is refused whole (kInvalidCsv, one
// RowIssue per bad row, see core/target_csv.h) and nothing is saved; otherwise
// every row is upserted by email and made a member, in one transaction with
// its audit entry ("group.import"). An existing group of another workspace
// behaves as unknown (kNotFound); a new group's name must be free (kConflict).
// Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/group.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

// Exactly one of the two: a new group's name (validated, validate_group_name)
// or an existing group's id.
struct ImportInto {
  std::string new_group_name;
  std::int64_t group_id = 0;
};

struct ImportOutcome {
  Group group;
  std::int64_t imported = 0;  // rows
  std::int64_t created = 0;   // targets new to the workspace
  std::int64_t updated = 0;   // known targets whose fields were updated
  std::vector<RowIssue> warnings;
};

Result<ImportOutcome> import_targets_csv(Store& store, const Caller& caller, std::int64_t now,
                                         const ImportInto& into, std::string_view csv);

}  // namespace phishdrill::service
