#include "store/copy/copy_plan.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace phishdrill::store_copy {
namespace {

constexpr std::array<NotCopied, 2> kNotCopied = {{
    {"schema_migrations",
     "each store's own record of its migrations: the target's migrate() writes its own"},
    {"recipient_state_counts",
     "SQLite's running count of recipients per send state, kept by its triggers; PostgreSQL "
     "counts the recipients themselves"},
}};

bool not_copied(const std::string& table) {
  return std::ranges::any_of(kNotCopied, [&](const NotCopied& n) { return n.table == table; });
}

std::map<std::string, const TableShape*> copied_by_name(const std::vector<TableShape>& tables) {
  std::map<std::string, const TableShape*> by_name;
  for (const auto& table : tables) {
    if (!not_copied(table.name)) by_name[table.name] = &table;
  }
  return by_name;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Problems with the two sets of table names, or "".
std::string table_mismatch(const std::map<std::string, const TableShape*>& source,
                           const std::map<std::string, const TableShape*>& target) {
  std::vector<std::string> only_source;
  std::vector<std::string> only_target;
  for (const auto& [name, shape] : source) {
    if (!target.contains(name)) only_source.push_back(name);
  }
  for (const auto& [name, shape] : target) {
    if (!source.contains(name)) only_target.push_back(name);
  }
  std::string problem;
  if (!only_source.empty()) problem += "tables only in the SQLite store: " + joined(only_source);
  if (!only_target.empty()) {
    problem += std::string(problem.empty() ? "" : "; ") +
               "tables only in the PostgreSQL store: " + joined(only_target);
  }
  return problem;
}

// The table's columns in the target's order with their conversions; the
// problems found go to `problems`.
TablePlan plan_table(const TableShape& source, const TableShape& target,
                     std::vector<std::string>& problems) {
  TablePlan plan{target.name, {}};
  std::map<std::string, std::string> source_types;
  for (const auto& column : source.columns) source_types[column.name] = column.type;
  for (const auto& column : target.columns) {
    const auto found = source_types.find(column.name);
    const std::string where = target.name + "." + column.name;
    if (found == source_types.end()) {
      problems.push_back(where + " is only in the PostgreSQL store");
      continue;
    }
    const auto conversion = conversion_between(found->second, column.type);
    if (!conversion) {
      problems.push_back(where + ": no conversion from SQLite \"" + found->second +
                         "\" to PostgreSQL \"" + column.type + "\"");
    } else {
      plan.columns.push_back({column.name, *conversion});
    }
    source_types.erase(found);
  }
  for (const auto& [name, type] : source_types) {
    problems.push_back(target.name + "." + name + " is only in the SQLite store");
  }
  return plan;
}

// Kahn's algorithm over the target's foreign keys (a table's references to
// itself do not order it); ties by name, so the order is stable.
Result<std::vector<std::string>> copy_order(
    const std::map<std::string, const TableShape*>& target) {
  std::map<std::string, std::set<std::string>> waits_for;
  for (const auto& [name, shape] : target) {
    auto& waits = waits_for[name];
    for (const auto& referenced : shape->references) {
      if (referenced != name && target.contains(referenced)) waits.insert(referenced);
    }
  }
  std::vector<std::string> order;
  while (!waits_for.empty()) {
    const auto ready =
        std::ranges::find_if(waits_for, [](const auto& t) { return t.second.empty(); });
    if (ready == waits_for.end()) {
      std::vector<std::string> left;
      for (const auto& [name, waits] : waits_for) left.push_back(name);
      return fail(ErrorCode::kValidation,
                  "the foreign keys of these tables form a cycle, so no order copies them: " +
                      joined(left));
    }
    const std::string name = ready->first;
    waits_for.erase(ready);
    for (auto& [other, waits] : waits_for) waits.erase(name);
    order.push_back(name);
  }
  return order;
}

}  // namespace

std::vector<std::string> TablePlan::column_names() const {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column.name);
  return names;
}

std::span<const NotCopied> tables_not_copied() { return kNotCopied; }

Result<std::vector<TablePlan>> plan_copy(const std::vector<TableShape>& sqlite_tables,
                                         const std::vector<TableShape>& postgres_tables) {
  const auto source = copied_by_name(sqlite_tables);
  const auto target = copied_by_name(postgres_tables);
  if (const auto problem = table_mismatch(source, target); !problem.empty()) {
    return fail(ErrorCode::kValidation,
                "the two stores' schemas do not match (" + problem +
                    "); a table must be in both, or be listed as not copied, with the reason, in "
                    "store/copy/copy_plan.cpp");
  }
  const auto order = PD_TRY(copy_order(target));
  std::vector<std::string> problems;
  std::vector<TablePlan> plans;
  for (const auto& name : order) {
    plans.push_back(plan_table(*source.at(name), *target.at(name), problems));
  }
  if (!problems.empty()) {
    return fail(ErrorCode::kValidation,
                "the two stores' columns do not match: " + joined(problems));
  }
  return plans;
}

}  // namespace phishdrill::store_copy
