// A report of suspicious mail, as the triage inbox keeps it: who reported
// what, whether it was one of our simulations (and whose), or else the
// evidence, score and verdict of a real message; reports of the same message
// gather in a cluster. Plain data; the rules live in service/ingest_report
// and core/report_evidence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace phishdrill {

// What became of a report.
enum class ReportStatus {
  kSimulation,  // one of our simulations, credited to its recipient (or to nobody, see note)
  kTriage,      // a real message for an analyst
  kRefused,     // nothing in it could be read; `note` says why
};

const char* report_status_name(ReportStatus status);
// kTriage for an unknown name (a row written by a newer version).
ReportStatus report_status_from_name(std::string_view name);

struct Report {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string source;                   // "mailbox" or "button"
  std::int64_t mailbox_id = 0;          // the reporting mailbox it came from (0: the button)
  std::string reporter;                 // the reporter's address, lower case
  std::int64_t reporter_target_id = 0;  // the person, when the address or an alias is known
  std::int64_t received_at = 0;
  bool automatic = false;  // sent by a machine (RFC 3834 Auto-Submitted): nobody to answer
  ReportStatus status = ReportStatus::kTriage;
  std::string note;  // why refused, or how a simulation was matched
  // The reported message.
  std::string subject;
  std::string from_address;
  std::string from_name;
  std::string message_id;  // the reported message's Message-ID ("" when unknown)
  // A simulation: its recipient (0 when the reporter was not the person it
  // was sent to) and how long after delivery it was reported (-1 unknown).
  std::int64_t campaign_id = 0;
  std::int64_t recipient_id = 0;
  std::int64_t seconds_to_report = -1;
  // A real message: its cluster, score and verdicts.
  std::int64_t cluster_id = 0;
  int score = 0;
  std::string suggested_verdict;  // "clean", "spam", "threat" or ""
  std::string verdict;            // set by an operator ("" until then)
  std::string verdict_note;
  std::int64_t verdict_by = 0;  // user id
  std::int64_t verdict_at = 0;
  std::string evidence_json = "{}";  // findings, links, attachments, authentication, indicators
  bool has_raw = false;              // the original is kept (sealed) and downloadable
};

// Reports of one message: same Message-ID, or else same sender and subject.
struct ReportCluster {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string fingerprint;
  std::string subject;
  std::string from_address;
  std::int64_t first_at = 0;
  std::int64_t last_at = 0;
  int report_count = 0;
  int score = 0;  // the highest of its reports
  std::string suggested_verdict;
  std::string verdict;
  std::string verdict_note;
  std::int64_t verdict_by = 0;
  std::int64_t verdict_at = 0;
};

}  // namespace phishdrill
