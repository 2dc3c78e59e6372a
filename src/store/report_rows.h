// Row readers and column lists of the reporting tables, shared by the SQLite
// and PostgreSQL adapters (see store/row_readers.h for the convention): a
// report, a cluster, a reporting mailbox. The column lists are plain SQL both
// databases read the same way. Pure; thread-safe.
#pragma once

#include "core/report.h"
#include "core/reporting_mailbox.h"

namespace phishdrill::rows {

// Reports are read as "r" (the list's EXISTS looks up the original).
inline constexpr const char* kReportColumns =
    "r.id, r.workspace_id, r.source, r.mailbox_id, r.reporter, r.reporter_target_id, "
    "r.received_at, r.status, r.note, r.subject, r.from_address, r.from_name, r.message_id, "
    "r.campaign_id, r.recipient_id, r.seconds_to_report, COALESCE(r.cluster_id, 0), r.score, "
    "r.suggested_verdict, r.verdict, r.verdict_note, r.verdict_by, r.verdict_at, r.evidence, "
    "EXISTS (SELECT 1 FROM report_originals o WHERE o.report_id = r.id), r.automatic";
inline constexpr int kReportColumnCount = 26;

inline constexpr const char* kClusterColumns =
    "id, workspace_id, fingerprint, subject, from_address, first_at, last_at, report_count, "
    "score, suggested_verdict, verdict, verdict_note, verdict_by, verdict_at";

// The secret itself is never read with a mailbox, only whether there is one.
inline constexpr const char* kMailboxColumns =
    "id, workspace_id, name, host, port, tls, username, auth, secret_sealed <> '', folder, "
    "after_processing, done_folder, poll_seconds, enabled, last_polled_at, last_error, "
    "created_at, updated_at";
inline constexpr int kMailboxColumnCount = 18;

template <typename Row>
Report read_report(const Row& s) {
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
  r.has_raw = s.boolean(24);
  r.automatic = s.boolean(25);
  return r;
}

template <typename Row>
ReportCluster read_cluster(const Row& s) {
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

template <typename Row>
ReportingMailbox read_mailbox(const Row& s) {
  ReportingMailbox m;
  m.id = s.int64(0);
  m.workspace_id = s.int64(1);
  m.name = s.text(2);
  m.host = s.text(3);
  m.port = static_cast<int>(s.int64(4));
  m.tls = s.text(5);
  m.username = s.text(6);
  m.auth = s.text(7);
  m.has_secret = s.boolean(8);
  m.folder = s.text(9);
  m.after = s.text(10);
  m.done_folder = s.text(11);
  m.poll_seconds = static_cast<int>(s.int64(12));
  m.enabled = s.boolean(13);
  m.last_polled_at = s.int64(14);
  m.last_error = s.text(15);
  m.created_at = s.int64(16);
  m.updated_at = s.int64(17);
  return m;
}

}  // namespace phishdrill::rows
