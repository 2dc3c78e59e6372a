#include "store/copy/store_copy.h"

#include <memory>

#include "store/copy/copy_plan.h"
#include "store/postgres/store_loader.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/table_snapshot.h"

namespace phishdrill::store_copy {
namespace {

using pg::StoreLoader;
using sqlite::TableSnapshot;

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

Result<std::unique_ptr<TableSnapshot>> open_source(const std::string& path) {
  auto source = PD_TRY(TableSnapshot::open(path));
  const int version = PD_TRY(source->schema_version());
  const int latest = sqlite::latest_schema_version();
  if (version == 0) {
    return fail(ErrorCode::kBadRequest,
                path + " is not a Phishdrill store (it has no schema_migrations table)");
  }
  if (version < latest) {
    return fail(ErrorCode::kValidation,
                "the SQLite store " + path + " is at schema version " + std::to_string(version) +
                    " and this phishdrill copies version " + std::to_string(latest) +
                    ": run `phishdrill migrate` with the old configuration (the one that uses "
                    "this file) first, then copy again; nothing was changed");
  }
  if (version > latest) {
    return fail(ErrorCode::kValidation,
                "the SQLite store " + path + " is at schema version " + std::to_string(version) +
                    ", newer than this phishdrill's " + std::to_string(latest) +
                    ": copy with the phishdrill that last ran on it");
  }
  return source;
}

std::vector<std::string> names_to_copy(const std::vector<TableShape>& tables) {
  std::vector<std::string> names;
  for (const auto& table : tables) {
    bool skipped = false;
    for (const auto& n : tables_not_copied()) skipped = skipped || n.table == table.name;
    if (!skipped) names.push_back(table.name);
  }
  return names;
}

Result<void> refuse_rows(StoreLoader& target, const std::vector<std::string>& tables) {
  const auto with_rows = PD_TRY(target.tables_with_rows(tables));
  if (with_rows.empty()) return {};
  return fail(ErrorCode::kConflict,
              "the PostgreSQL store (schema " + target.schema() +
                  ") is not empty: there are rows in " + joined(with_rows) +
                  "; a copy goes only into an empty store (nothing was changed)");
}

Result<std::int64_t> copy_table(TableSnapshot& source, StoreLoader& target, const TablePlan& plan) {
  const auto columns = plan.column_names();
  return target.load(plan.name, columns, [&](pg::CopyRows& out) {
    std::string scratch;
    std::int64_t row_number = 0;
    return source.for_each_row(
        plan.name, columns, [&](std::span<const TableValue> row) -> Result<void> {
          ++row_number;
          for (std::size_t i = 0; i < row.size(); ++i) {
            const auto text = postgres_text(plan.columns[i].conversion, row[i], scratch);
            if (!text) {
              return fail(ErrorCode::kValidation, plan.name + "." + columns[i] + ", row " +
                                                      std::to_string(row_number) + ": " +
                                                      text.error().message);
            }
            if (*text) {
              out.add(**text);
            } else {
              out.add_null();
            }
          }
          return out.end_row();
        });
  });
}

// Every table's rows, counted on both sides after the copy.
Result<std::vector<TableCount>> verified_counts(TableSnapshot& source, StoreLoader& target,
                                                const std::vector<TablePlan>& plans) {
  std::vector<TableCount> counts;
  std::vector<std::string> mismatches;
  for (const auto& plan : plans) {
    TableCount count{plan.name, PD_TRY(source.count_rows(plan.name)),
                     PD_TRY(target.count_rows(plan.name))};
    if (count.source_rows != count.target_rows) {
      mismatches.push_back(plan.name + " (SQLite " + std::to_string(count.source_rows) +
                           ", PostgreSQL " + std::to_string(count.target_rows) + ")");
    }
    counts.push_back(std::move(count));
  }
  if (!mismatches.empty()) {
    return fail(ErrorCode::kInternal,
                "row counts differ after the copy, so it was rolled back: " + joined(mismatches));
  }
  return counts;
}

}  // namespace

Result<CopyReport> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                           const std::string& postgres_url,
                                           const CopyProgress& progress) {
  auto source = PD_TRY(open_source(sqlite_path));
  auto target = PD_TRY(StoreLoader::open(postgres_url));
  CopyReport report;
  report.target_schema = target->schema();
  // Before the migration: a store with rows is refused before anything changes.
  PD_TRY(refuse_rows(*target, names_to_copy(PD_TRY(target->tables()))));
  report.migrations_applied = PD_TRY(target->migrate());
  const auto plans = PD_TRY(plan_copy(PD_TRY(source->tables()), PD_TRY(target->tables())));
  std::vector<std::string> names;
  for (const auto& plan : plans) names.push_back(plan.name);

  PD_TRY(target->begin(names));
  PD_TRY(refuse_rows(*target, names));  // again, now that no one else can write them
  for (const auto& plan : plans) {
    const auto copied = PD_TRY(copy_table(*source, *target, plan));
    if (progress) progress(plan.name, copied);
  }
  for (const auto& plan : plans) {
    const auto issued = PD_TRY(source->last_issued_id(plan.name));
    report.sequences_advanced += PD_TRY(target->advance_sequences(plan.name, issued));
  }
  report.tables = PD_TRY(verified_counts(*source, *target, plans));
  PD_TRY(target->commit());
  return report;
}

}  // namespace phishdrill::store_copy
