#include "store/report_rows.h"
#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

// "" = every status; the text is compared only when filtering.; the text is compared only when
// filtering.
std::string status_filter(const ReportFilter& filter) {
  return filter.status ? report_status_name(*filter.status) : "";
}

}  // namespace

Result<std::int64_t> SqliteReports::insert_report(const Report& r) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO reports (workspace_id, source, mailbox_id, reporter, "
               "reporter_target_id, received_at, status, note, subject, from_address, from_name, "
               "message_id, campaign_id, recipient_id, seconds_to_report, cluster_id, score, "
               "suggested_verdict, evidence, automatic) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
               "NULLIF(?, 0),?,?,?,?)")
            .bind(1, r.workspace_id)
            .bind(2, r.source)
            .bind(3, r.mailbox_id)
            .bind(4, r.reporter)
            .bind(5, r.reporter_target_id)
            .bind(6, r.received_at)
            .bind(7, report_status_name(r.status))
            .bind(8, r.note)
            .bind(9, r.subject)
            .bind(10, r.from_address)
            .bind(11, r.from_name)
            .bind(12, r.message_id)
            .bind(13, r.campaign_id)
            .bind(14, r.recipient_id)
            .bind(15, r.seconds_to_report)
            .bind(16, r.cluster_id)
            .bind(17, r.score)
            .bind(18, r.suggested_verdict)
            .bind(19, r.evidence_json)
            .bind(20, r.automatic ? 1 : 0)
            .run();
        return db_.last_insert_id();
      },
      "message_id", "this person has already reported this message");
}

std::optional<Report> SqliteReports::find_report(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + rows::kReportColumns +
                          " FROM reports r WHERE r.workspace_id = ? AND r.id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return rows::read_report(stmt);
}

Page<Report> SqliteReports::list_reports(std::int64_t workspace_id, const ReportFilter& filter,
                                         PageRequest page) {
  auto stmt = db_.prepare(std::string("SELECT ") + rows::kReportColumns +
                          " FROM reports r WHERE r.workspace_id = ?1 AND r.id < ?2 "
                          "AND (?3 = '' OR r.status = ?3) AND (?4 = 0 OR r.cluster_id = ?4) "
                          "AND (?5 = '' OR (?5 = 'none' AND r.verdict = '') OR r.verdict = ?5) "
                          "ORDER BY r.id DESC LIMIT ?6");
  stmt.bind(1, workspace_id)
      .bind(2, newest_first_cursor(page))
      .bind(3, status_filter(filter))
      .bind(4, filter.cluster_id)
      .bind(5, filter.verdict)
      .bind(6, page.limit + 1);
  return collect_page<Report>(stmt, page.limit, rows::read_report<Statement>);
}

std::vector<Report> SqliteReports::cluster_reports(std::int64_t workspace_id,
                                                   std::int64_t cluster_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + rows::kReportColumns +
                          " FROM reports r WHERE r.workspace_id = ? AND r.cluster_id = ? "
                          "ORDER BY r.id");
  stmt.bind(1, workspace_id).bind(2, cluster_id);
  std::vector<Report> out;
  while (stmt.step()) out.push_back(rows::read_report(stmt));
  return out;
}

void SqliteReports::keep_original(std::int64_t report_id, const std::string& sealed) {
  db_.prepare("INSERT OR REPLACE INTO report_originals (report_id, sealed) VALUES (?, ?)")
      .bind(1, report_id)
      .bind(2, sealed)
      .run();
}

std::optional<std::string> SqliteReports::original(std::int64_t workspace_id,
                                                   std::int64_t report_id) {
  auto stmt = db_.prepare(
      "SELECT o.sealed FROM report_originals o JOIN reports r ON r.id = o.report_id "
      "WHERE r.workspace_id = ? AND o.report_id = ?");
  stmt.bind(1, workspace_id).bind(2, report_id);
  if (!stmt.step()) return std::nullopt;
  return stmt.text(0);
}

int SqliteReports::drop_originals_before(std::int64_t before) {
  db_.prepare(
         "DELETE FROM report_originals WHERE report_id IN "
         "(SELECT id FROM reports WHERE received_at < ?)")
      .bind(1, before)
      .run();
  return db_.changes();
}

std::int64_t SqliteReports::join_cluster(std::int64_t workspace_id, const ReportCluster& seen) {
  auto stmt = db_.prepare(
      "INSERT INTO report_clusters (workspace_id, fingerprint, subject, from_address, first_at, "
      "last_at, report_count, score, suggested_verdict) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1, ?6, ?7) "
      "ON CONFLICT (workspace_id, fingerprint) DO UPDATE SET report_count = report_count + 1, "
      "last_at = max(last_at, excluded.last_at), first_at = min(first_at, excluded.first_at), "
      "suggested_verdict = CASE WHEN excluded.score > score THEN excluded.suggested_verdict "
      "ELSE suggested_verdict END, score = max(score, excluded.score) RETURNING id");
  stmt.bind(1, workspace_id)
      .bind(2, seen.fingerprint)
      .bind(3, seen.subject)
      .bind(4, seen.from_address)
      .bind(5, seen.first_at)
      .bind(6, seen.score)
      .bind(7, seen.suggested_verdict);
  stmt.step();
  return stmt.int64(0);
}

void SqliteReports::place_in_cluster(std::int64_t report_id, std::int64_t cluster_id) {
  db_.prepare("UPDATE reports SET cluster_id = ? WHERE id = ?")
      .bind(1, cluster_id)
      .bind(2, report_id)
      .run();
}

std::optional<ReportCluster> SqliteReports::find_cluster(std::int64_t workspace_id,
                                                         std::int64_t id) {
  return find_owned<ReportCluster>(db_, rows::kClusterColumns, "report_clusters", workspace_id, id,
                                   rows::read_cluster<Statement>);
}

Page<ReportCluster> SqliteReports::list_clusters(std::int64_t workspace_id,
                                                 const ClusterFilter& filter, PageRequest page) {
  auto stmt = db_.prepare(std::string("SELECT ") + rows::kClusterColumns +
                          " FROM report_clusters WHERE workspace_id = ?1 AND id < ?2 "
                          "AND (?3 = '' OR (?3 = 'none' AND verdict = '') OR verdict = ?3) "
                          "ORDER BY id DESC LIMIT ?4");
  stmt.bind(1, workspace_id)
      .bind(2, newest_first_cursor(page))
      .bind(3, filter.verdict)
      .bind(4, page.limit + 1);
  return collect_page<ReportCluster>(stmt, page.limit, rows::read_cluster<Statement>);
}

bool SqliteReports::set_report_verdict(std::int64_t workspace_id, std::int64_t id,
                                       const std::string& verdict, const std::string& note,
                                       std::int64_t by, std::int64_t at) {
  db_.prepare(
         "UPDATE reports SET verdict = ?, verdict_note = ?, verdict_by = ?, verdict_at = ? "
         "WHERE workspace_id = ? AND id = ?")
      .bind(1, verdict)
      .bind(2, note)
      .bind(3, by)
      .bind(4, at)
      .bind(5, workspace_id)
      .bind(6, id)
      .run();
  return db_.changes() > 0;
}

bool SqliteReports::set_cluster_verdict(std::int64_t workspace_id, std::int64_t id,
                                        const std::string& verdict, const std::string& note,
                                        std::int64_t by, std::int64_t at) {
  db_.prepare(
         "UPDATE report_clusters SET verdict = ?, verdict_note = ?, verdict_by = ?, "
         "verdict_at = ? WHERE workspace_id = ? AND id = ?")
      .bind(1, verdict)
      .bind(2, note)
      .bind(3, by)
      .bind(4, at)
      .bind(5, workspace_id)
      .bind(6, id)
      .run();
  if (db_.changes() == 0) return false;
  db_.prepare(
         "UPDATE reports SET verdict = ?, verdict_note = ?, verdict_by = ?, verdict_at = ? "
         "WHERE workspace_id = ? AND cluster_id = ?")
      .bind(1, verdict)
      .bind(2, note)
      .bind(3, by)
      .bind(4, at)
      .bind(5, workspace_id)
      .bind(6, id)
      .run();
  return true;
}

std::int64_t SqliteReports::count_timed_reports(std::int64_t workspace_id,
                                                std::int64_t campaign_id) {
  auto stmt = db_.prepare(
      "SELECT count(*) FROM reports WHERE campaign_id = ? AND recipient_id > 0 AND "
      "seconds_to_report >= 0 AND workspace_id = ?");
  stmt.bind(1, campaign_id).bind(2, workspace_id);
  stmt.step();
  return stmt.int64(0);
}

std::optional<std::int64_t> SqliteReports::nth_time_to_report(std::int64_t workspace_id,
                                                              std::int64_t campaign_id,
                                                              std::int64_t n) {
  auto stmt = db_.prepare(
      "SELECT seconds_to_report FROM reports WHERE campaign_id = ? AND recipient_id > 0 AND "
      "seconds_to_report >= 0 AND workspace_id = ? ORDER BY seconds_to_report LIMIT 1 OFFSET ?");
  stmt.bind(1, campaign_id).bind(2, workspace_id).bind(3, n);
  if (!stmt.step()) return std::nullopt;
  return stmt.int64(0);
}

}  // namespace phishdrill::sqlite
