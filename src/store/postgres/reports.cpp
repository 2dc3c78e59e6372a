#include "store/postgres/repositories.h"
#include "store/report_rows.h"

namespace phishdrill::pg {
namespace {

const std::string kVerdictFilter =
    "($V::text = '' OR ($V::text = 'none' AND verdict = '') OR "
    "verdict = $V::text)";

std::string verdict_filter(const char* placeholder) {
  std::string sql = kVerdictFilter;
  for (auto at = sql.find("$V"); at != std::string::npos; at = sql.find("$V", at)) {
    sql.replace(at, 2, placeholder);
  }
  return sql;
}

}  // namespace

Result<std::int64_t> PgReports::insert_report(const Report& r) {
  return unique_or_conflict(
      db_,
      [&] {
        return db_
            .run(
                "INSERT INTO reports (workspace_id, source, mailbox_id, reporter, "
                "reporter_target_id, received_at, status, note, subject, from_address, "
                "from_name, message_id, campaign_id, recipient_id, seconds_to_report, "
                "cluster_id, score, suggested_verdict, evidence, automatic) VALUES ($1, $2, $3, "
                "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULLIF($16::bigint, 0), "
                "$17, $18, $19, $20) RETURNING id",
                r.workspace_id, r.source, r.mailbox_id, r.reporter, r.reporter_target_id,
                r.received_at, report_status_name(r.status), r.note, r.subject, r.from_address,
                r.from_name, r.message_id, r.campaign_id, r.recipient_id, r.seconds_to_report,
                r.cluster_id, r.score, r.suggested_verdict, r.evidence_json, r.automatic)
            .int64(0, 0);
      },
      "message_id", "this person has already reported this message");
}

std::optional<Report> PgReports::find_report(std::int64_t workspace_id, std::int64_t id) {
  const auto rows = db_.run(std::string("SELECT ") + rows::kReportColumns +
                                " FROM reports r WHERE r.workspace_id = $1 AND r.id = $2",
                            workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return rows::read_report(Row(rows, 0));
}

Page<Report> PgReports::list_reports(std::int64_t workspace_id, const ReportFilter& filter,
                                     PageRequest page) {
  const std::string status = filter.status ? report_status_name(*filter.status) : "";
  const auto rows = db_.run(std::string("SELECT ") + rows::kReportColumns +
                                " FROM reports r WHERE r.workspace_id = $1 AND r.id < $2::bigint "
                                "AND ($3::text = '' OR r.status = $3::text) "
                                "AND ($4::bigint = 0 OR r.cluster_id = $4::bigint) AND " +
                                verdict_filter("$5") + " ORDER BY r.id DESC LIMIT $6",
                            workspace_id, newest_first_cursor(page), status, filter.cluster_id,
                            filter.verdict, page.limit + 1);
  return collect_page<Report>(rows, page.limit, rows::read_report<Row>);
}

std::vector<Report> PgReports::cluster_reports(std::int64_t workspace_id, std::int64_t cluster_id) {
  const auto rows = db_.run(std::string("SELECT ") + rows::kReportColumns +
                                " FROM reports r WHERE r.workspace_id = $1 AND r.cluster_id = $2 "
                                "ORDER BY r.id",
                            workspace_id, cluster_id);
  std::vector<Report> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows::read_report(Row(rows, i)));
  return out;
}

void PgReports::keep_original(std::int64_t report_id, const std::string& sealed) {
  db_.run(
      "INSERT INTO report_originals (report_id, sealed) VALUES ($1, $2) "
      "ON CONFLICT (report_id) DO UPDATE SET sealed = excluded.sealed",
      report_id, sealed);
}

std::optional<std::string> PgReports::original(std::int64_t workspace_id, std::int64_t report_id) {
  const auto rows = db_.run(
      "SELECT o.sealed FROM report_originals o JOIN reports r ON r.id = o.report_id "
      "WHERE r.workspace_id = $1 AND o.report_id = $2",
      workspace_id, report_id);
  if (rows.empty()) return std::nullopt;
  return rows.text(0, 0);
}

int PgReports::drop_originals_before(std::int64_t before) {
  return static_cast<int>(
      db_.run("DELETE FROM report_originals o USING reports r WHERE r.id = o.report_id AND "
              "r.received_at < $1",
              before)
          .affected());
}

std::int64_t PgReports::join_cluster(std::int64_t workspace_id, const ReportCluster& seen) {
  return db_
      .run(
          "INSERT INTO report_clusters AS c (workspace_id, fingerprint, subject, from_address, "
          "first_at, last_at, report_count, score, suggested_verdict) VALUES ($1, $2, $3, $4, "
          "$5, $5, 1, $6, $7) ON CONFLICT (workspace_id, fingerprint) DO UPDATE SET "
          "report_count = c.report_count + 1, last_at = GREATEST(c.last_at, excluded.last_at), "
          "first_at = LEAST(c.first_at, excluded.first_at), suggested_verdict = CASE WHEN "
          "excluded.score > c.score THEN excluded.suggested_verdict ELSE c.suggested_verdict "
          "END, score = GREATEST(c.score, excluded.score) RETURNING id",
          workspace_id, seen.fingerprint, seen.subject, seen.from_address, seen.first_at,
          seen.score, seen.suggested_verdict)
      .int64(0, 0);
}

void PgReports::place_in_cluster(std::int64_t report_id, std::int64_t cluster_id) {
  db_.run("UPDATE reports SET cluster_id = $1 WHERE id = $2", cluster_id, report_id);
}

std::optional<ReportCluster> PgReports::find_cluster(std::int64_t workspace_id, std::int64_t id) {
  const auto rows = db_.run(std::string("SELECT ") + rows::kClusterColumns +
                                " FROM report_clusters WHERE workspace_id = $1 AND id = $2",
                            workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return rows::read_cluster(Row(rows, 0));
}

Page<ReportCluster> PgReports::list_clusters(std::int64_t workspace_id, const ClusterFilter& filter,
                                             PageRequest page) {
  const auto rows =
      db_.run(std::string("SELECT ") + rows::kClusterColumns +
                  " FROM report_clusters WHERE workspace_id = $1 AND id < $2::bigint AND " +
                  verdict_filter("$3") + " ORDER BY id DESC LIMIT $4",
              workspace_id, newest_first_cursor(page), filter.verdict, page.limit + 1);
  return collect_page<ReportCluster>(rows, page.limit, rows::read_cluster<Row>);
}

bool PgReports::set_report_verdict(std::int64_t workspace_id, std::int64_t id,
                                   const std::string& verdict, const std::string& note,
                                   std::int64_t by, std::int64_t at) {
  return db_.run(
                "UPDATE reports SET verdict = $1, verdict_note = $2, verdict_by = $3, "
                "verdict_at = $4 WHERE workspace_id = $5 AND id = $6",
                verdict, note, by, at, workspace_id, id)
             .affected() > 0;
}

bool PgReports::set_cluster_verdict(std::int64_t workspace_id, std::int64_t id,
                                    const std::string& verdict, const std::string& note,
                                    std::int64_t by, std::int64_t at) {
  const bool found = db_.run(
                            "UPDATE report_clusters SET verdict = $1, verdict_note = $2, "
                            "verdict_by = $3, verdict_at = $4 WHERE workspace_id = $5 AND id = $6",
                            verdict, note, by, at, workspace_id, id)
                         .affected() > 0;
  if (!found) return false;
  db_.run(
      "UPDATE reports SET verdict = $1, verdict_note = $2, verdict_by = $3, verdict_at = $4 "
      "WHERE workspace_id = $5 AND cluster_id = $6",
      verdict, note, by, at, workspace_id, id);
  return true;
}

std::int64_t PgReports::count_timed_reports(std::int64_t workspace_id, std::int64_t campaign_id) {
  return db_
      .run(
          "SELECT count(*) FROM reports WHERE campaign_id = $1 AND recipient_id > 0 AND "
          "seconds_to_report >= 0 AND workspace_id = $2",
          campaign_id, workspace_id)
      .int64(0, 0);
}

std::optional<std::int64_t> PgReports::nth_time_to_report(std::int64_t workspace_id,
                                                          std::int64_t campaign_id,
                                                          std::int64_t n) {
  const auto rows = db_.run(
      "SELECT seconds_to_report FROM reports WHERE campaign_id = $1 AND recipient_id > 0 AND "
      "seconds_to_report >= 0 AND workspace_id = $2 ORDER BY seconds_to_report LIMIT 1 OFFSET $3",
      campaign_id, workspace_id, n);
  if (rows.empty()) return std::nullopt;
  return rows.int64(0, 0);
}

}  // namespace phishdrill::pg
