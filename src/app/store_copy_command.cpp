#include "app/store_copy_command.h"

#include <chrono>

#include "store/copy/copy_endpoints.h"
#include "store/copy/copy_plan.h"
#include "store/copy/store_copy.h"
#include "store/postgres/redact_url.h"

namespace phishdrill::app {
namespace {

using store_copy::CopyReport;

void print_counts(const CopyReport& report, std::FILE* out) {
  std::int64_t rows = 0;
  std::fprintf(out, "Row counts, checked table by table after the copy:\n");
  std::fprintf(out, "  %-28s %12s %12s\n", "table", "SQLite", "PostgreSQL");
  for (const auto& table : report.tables) {
    std::fprintf(out, "  %-28s %12lld %12lld\n", table.table.c_str(),
                 static_cast<long long>(table.source_rows),
                 static_cast<long long>(table.target_rows));
    rows += table.target_rows;
  }
  std::fprintf(out, "Copied %zu tables, %lld rows, in one transaction (schema %s).\n",
               report.tables.size(), static_cast<long long>(rows), report.target_schema.c_str());
  std::fprintf(out, "Moved %d id sequences past the copied ids.\n", report.sequences_advanced);
  for (const auto& skipped : store_copy::tables_not_copied()) {
    std::fprintf(out, "Not copied: %.*s (%.*s).\n", static_cast<int>(skipped.table.size()),
                 skipped.table.data(), static_cast<int>(skipped.reason.size()),
                 skipped.reason.data());
  }
}

void print_next_steps(const std::string& shown_url, std::FILE* out) {
  std::fprintf(out,
               "\nSecrets (relay passwords, webhook URLs and signing secrets) were copied sealed, "
               "as stored:\nrun the server on PostgreSQL with this installation's secret.key "
               "(the same data_dir, or a copy\nof DATA_DIR/secret.key), or they cannot be "
               "opened.\nNext: set PHISHDRILL_STORE_URL (or [store] url) to\n  %s\n"
               "with its password, and start phishdrill serve.\n",
               shown_url.c_str());
}

}  // namespace

int run_store_copy(const std::string& from, const std::string& to, std::FILE* out, std::FILE* err) {
  const auto path = store_copy::sqlite_path_from(from);
  const auto url = store_copy::postgres_url_from(to);
  for (const auto* bad : {path ? nullptr : &path.error(), url ? nullptr : &url.error()}) {
    if (bad != nullptr) std::fprintf(err, "phishdrill: store copy: %s\n", bad->message.c_str());
  }
  if (!path || !url) return 2;

  const std::string shown_url = pg::redact_url(*url);
  std::fprintf(out, "Copying the SQLite store %s into %s.\n", path->c_str(), shown_url.c_str());
  std::fflush(out);
  const auto started = std::chrono::steady_clock::now();
  const auto report = store_copy::copy_sqlite_to_postgres(
      *path, *url, [out](const std::string& table, std::int64_t rows) {
        std::fprintf(out, "  copied %-28s %12lld rows\n", table.c_str(),
                     static_cast<long long>(rows));
        std::fflush(out);
      });
  if (!report) {
    std::fprintf(err, "phishdrill: store copy: %s\n", report.error().message.c_str());
    std::fprintf(err, "phishdrill: store copy: nothing was committed to the PostgreSQL store.\n");
    return 1;
  }
  if (report->migrations_applied > 0) {
    std::fprintf(out, "Migrated the PostgreSQL store before the copy (%d migrations applied).\n",
                 report->migrations_applied);
  }
  print_counts(*report, out);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(out, "Done in %.1f s.\n", seconds);
  print_next_steps(shown_url, out);
  return 0;
}

}  // namespace phishdrill::app
