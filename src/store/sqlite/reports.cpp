#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace {

constexpr const char* kReportColumns =
    "r.id, r.workspace_id, r.source, r.mailbox_id, r.reporter, r.reporter_target_id, "
    "r.received_at, r.status, r.note, r.subject, r.from_address, r.from_name, r.message_id, "
    "r.campaign_id, r.recipient_id, r.seconds_to_report, COALESCE(r.cluster_id, 0), r.score, "
    "r.suggested_verdict, r.verdict, r.verdict_note, r.verdict_by, r.verdict_at, r.evidence, "
    "EXISTS (SELECT 1 FROM report_originals o WHERE o.report_id = r.id)";

constexpr const char* kClusterColumns =
    "id, workspace_id, fingerprint, subject, from_address, first_at, last_at, report_count, "
    "score, suggested_verdict, verdict, verdict_note, verdict_by, verdict_at";

Report read_report(const Statement& s) {
  Report r;
  r.id = s.int64(0);
  r.workspace_id = s.int64(1);
  r.source = s.text(2);
  r.mailbox_id = s.int64(3);
  r.reporter = s.text(4);
  r.reporter_target_id = s.int64(5);
  r.received_at = s.int64(6);
  r.status = report_status_from_name(s.text(7));
  r.note = s.text(8);
  r.subject = s.text(9);
  r.from_address = s.text(10);
  r.from_name = s.text(11);
  r.message_id = s.text(12);
  r.campaign_id = s.int64(13);
  r.recipient_id = s.int64(14);
  r.seconds_to_report = s.int64(15);
  r.cluster_id = s.int64(16);
  r.score = static_cast<int>(s.int64(17));
  r.suggested_verdict = s.text(18);
  r.verdict = s.text(19);
  r.verdict_note = s.text(20);
  r.verdict_by = s.int64(21);
  r.verdict_at = s.int64(22);
  r.evidence_json = s.text(23);
  r.has_raw = s.int64(24) != 0;
  return r;
}

ReportCluster read_cluster(const Statement& s) {
  ReportCluster c;
  c.id = s.int64(0);
  c.workspace_id = s.int64(1);
  c.fingerprint = s.text(2);
  c.subject = s.text(3);
  c.from_address = s.text(4);
  c.first_at = s.int64(5);
  c.last_at = s.int64(6);
  c.report_count = static_cast<int>(s.int64(7));
  c.score = static_cast<int>(s.int64(8));
  c.suggested_verdict = s.text(9);
  c.verdict = s.text(10);
  c.verdict_note = s.text(11);
  c.verdict_by = s.int64(12);
  c.verdict_at = s.int64(13);
  return c;
}

// 1 = every status; the text is compared only when filtering.
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
               "suggested_verdict, evidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULLIF(?, 0),"
               "?,?,?)")
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
            .run();
        return db_.last_insert_id();
      },
      "message_id", "this person has already reported this message");
}

std::optional<Report> SqliteReports::find_report(std::int64_t workspace_id, std::int64_t id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kReportColumns +
                          " FROM reports r WHERE r.workspace_id = ? AND r.id = ?");
  stmt.bind(1, workspace_id).bind(2, id);
  if (!stmt.step()) return std::nullopt;
  return read_report(stmt);
}

Page<Report> SqliteReports::list_reports(std::int64_t workspace_id, const ReportFilter& filter,
                                         PageRequest page) {
  auto stmt = db_.prepare(std::string("SELECT ") + kReportColumns +
                          " FROM reports r WHERE r.workspace_id = ?1 AND (?2 = 0 OR r.id < ?2) "
                          "AND (?3 = '' OR r.status = ?3) AND (?4 = 0 OR r.cluster_id = ?4) "
                          "AND (?5 = '' OR (?5 = 'none' AND r.verdict = '') OR r.verdict = ?5) "
                          "ORDER BY r.id DESC LIMIT ?6");
  stmt.bind(1, workspace_id)
      .bind(2, page.after_id)
      .bind(3, status_filter(filter))
      .bind(4, filter.cluster_id)
      .bind(5, filter.verdict)
      .bind(6, page.limit + 1);
  return collect_page<Report>(stmt, page.limit, read_report);
}

std::vector<Report> SqliteReports::cluster_reports(std::int64_t workspace_id,
                                                   std::int64_t cluster_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kReportColumns +
                          " FROM reports r WHERE r.workspace_id = ? AND r.cluster_id = ? "
                          "ORDER BY r.id");
  stmt.bind(1, workspace_id).bind(2, cluster_id);
  std::vector<Report> out;
  while (stmt.step()) out.push_back(read_report(stmt));
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
  return find_owned<ReportCluster>(db_, kClusterColumns, "report_clusters", workspace_id, id,
                                   read_cluster);
}

Page<ReportCluster> SqliteReports::list_clusters(std::int64_t workspace_id,
                                                 const ClusterFilter& filter, PageRequest page) {
  auto stmt = db_.prepare(std::string("SELECT ") + kClusterColumns +
                          " FROM report_clusters WHERE workspace_id = ?1 AND (?2 = 0 OR id < ?2) "
                          "AND (?3 = '' OR (?3 = 'none' AND verdict = '') OR verdict = ?3) "
                          "ORDER BY id DESC LIMIT ?4");
  stmt.bind(1, workspace_id).bind(2, page.after_id).bind(3, filter.verdict).bind(4, page.limit + 1);
  return collect_page<ReportCluster>(stmt, page.limit, read_cluster);
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
