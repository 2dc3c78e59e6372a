// Port: the emails reports cause and the workspace's feedback
// settings. One email per report and kind, a constraint: "acknowledge" (the
// reporter hears the report was taken in), "verdict" (the reporter hears the
// team's decision) and "forward" (a button report of real mail goes on to the
// reporting mailbox). Claims are exclusive until their lease ends (a
// conditional update), so any number of workers on any number of nodes never
// send one email twice at once. A verdict email already sent is queued again
// only when the report's verdict has changed since. Used only inside a Store
// transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/report.h"
#include "core/report_feedback.h"

namespace phishdrill {

// The person a report is credited to, as the targets list has them.
struct ReportPerson {
  std::string email;
  std::string first_name;
  std::string last_name;
};

// An email due to go out, claimed under a lease.
struct ReportMailJob {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string kind;  // "acknowledge", "verdict" or "forward"
  int attempts = 0;  // including this one
  Report report;
  ReportPerson person;  // the reporter (empty for a report of nobody known)
};

// One email of a report, as the triage screen shows it.
struct ReportMailState {
  std::string kind;
  std::string state;  // "queued", "sending", "sent", "failed" or "cancelled"
  int attempts = 0;
  std::int64_t sent_at = 0;
  std::string sent_verdict;  // what a verdict email told
  std::string last_error;
};

class ReportMailRepository {
 public:
  virtual ~ReportMailRepository() = default;

  virtual ReportFeedbackSettings feedback_settings(std::int64_t workspace_id) = 0;
  virtual void save_feedback_settings(std::int64_t workspace_id,
                                      const ReportFeedbackSettings& settings) = 0;

  // Queues the email unless it exists; a verdict email that went out (or
  // failed) telling another verdict than the report's current one is queued
  // again.
  virtual void queue_report_mail(std::int64_t workspace_id, std::int64_t report_id,
                                 const std::string& kind, std::int64_t send_at) = 0;
  // The same for the verdict email of every report in the cluster that
  // names a known person; returns how many were queued.
  virtual int queue_cluster_verdict_mail(std::int64_t workspace_id, std::int64_t cluster_id,
                                         std::int64_t send_at) = 0;

  virtual std::vector<ReportMailJob> claim_report_mail(std::int64_t now, std::int64_t lease_until,
                                                       int limit) = 0;
  // False when the email is no longer being sent by this claim.
  virtual bool renew_report_mail_lease(std::int64_t mail_id, std::int64_t lease_until) = 0;
  virtual void release_report_mail(std::int64_t mail_id) = 0;
  virtual void mark_report_mail_sent(std::int64_t mail_id, const std::string& message_id,
                                     const std::string& sent_verdict, std::int64_t at) = 0;
  virtual void mark_report_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                                      const std::string& error) = 0;
  virtual void mark_report_mail_failed(std::int64_t mail_id, const std::string& error) = 0;
  virtual void mark_report_mail_cancelled(std::int64_t mail_id, const std::string& why) = 0;

  virtual std::vector<ReportMailState> report_mail_of(std::int64_t workspace_id,
                                                      std::int64_t report_id) = 0;
  // The report a forwarded email (by its Message-ID) was sent for.
  virtual std::optional<std::int64_t> forwarded_report(std::int64_t workspace_id,
                                                       const std::string& message_id) = 0;
};

}  // namespace phishdrill
