// Port: training assignments, their quiz attempts, the portal links people
// use to reach them, the queue of training emails, and the workspace's
// training settings. Creating an assignment queues its emails (see
// plan_training_mail) in the same transaction; completing or cancelling it
// cancels the emails still queued. Portal links and quiz nonces are stored
// as hashes only. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assignment.h"
#include "store/page.h"

namespace phishdrill {

struct AssignmentFilter {
  std::string module_slug;       // "" = any
  std::int64_t group_id = 0;     // 0 = any
  std::int64_t target_id = 0;    // 0 = any
  std::int64_t campaign_id = 0;  // 0 = any
  std::optional<AssignmentStatus> status;
  bool overdue_only = false;  // open and past due at `now`
  std::int64_t now = 0;
};

struct NewAssignments {
  std::vector<std::int64_t> target_ids;  // deduplicated by the caller
  std::string module_slug;
  std::string reason = "manual";
  std::int64_t campaign_id = 0;
  std::int64_t profile_id = 0;
  std::string portal_base_url;
  std::int64_t due_at = 0;
  std::int64_t now = 0;
  std::int64_t notice_at = 0;  // when the first email goes; 0 = now
};

struct AssignOutcome {
  std::int64_t created = 0;
  std::int64_t already_assigned = 0;  // an open assignment of this module existed
};

struct PortalLink {
  std::int64_t workspace_id = 0;
  std::int64_t target_id = 0;
  std::int64_t expires_at = 0;
};

// A training email due to go out, claimed under a lease.
struct TrainingMailJob {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string kind;  // "assigned", "reminder", "overdue"
  int attempts = 0;  // including this one
  Assignment assignment;
};

// One person's training in a group report.
struct TrainingReportRow {
  AssignedTarget target;
  std::int64_t assigned = 0;  // not cancelled
  std::int64_t completed = 0;
  std::int64_t overdue = 0;
  std::int64_t last_completed_at = 0;
};

// One planned or sent training email of an assignment.
struct TrainingMailRecord {
  std::string kind;   // "assigned", "reminder", "overdue"
  std::string state;  // "queued", "sending", "sent", "failed", "cancelled"
  std::int64_t send_at = 0;
  std::int64_t sent_at = 0;
  int attempts = 0;
  std::string last_error;
};

class TrainingRepository {
 public:
  virtual ~TrainingRepository() = default;

  virtual TrainingSettings settings(std::int64_t workspace_id) = 0;
  virtual void save_settings(std::int64_t workspace_id, const TrainingSettings& s) = 0;

  // The ids among `target_ids` that are not targets of this workspace.
  virtual std::vector<std::int64_t> unknown_targets(
      std::int64_t workspace_id, const std::vector<std::int64_t>& target_ids) = 0;
  // Skips targets (of this workspace) with an open assignment of the module;
  // unknown target ids are the caller's to refuse beforehand.
  virtual AssignOutcome assign(std::int64_t workspace_id, const NewAssignments& request,
                               const TrainingSettings& mail) = 0;
  virtual std::optional<Assignment> find_assignment(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<Assignment> list_assignments(std::int64_t workspace_id,
                                            const AssignmentFilter& filter, PageRequest page) = 0;
  // Open → cancelled; false when it was not open.
  virtual bool cancel_assignment(std::int64_t workspace_id, std::int64_t id,
                                 const std::string& reason, std::int64_t now) = 0;
  // Queues a reminder to go now for an open assignment that has a relay and
  // no email already due; false otherwise (nothing queued).
  virtual bool remind_now(std::int64_t workspace_id, std::int64_t id, std::int64_t now) = 0;
  virtual std::vector<QuizAttempt> attempts_of(std::int64_t assignment_id) = 0;
  virtual std::vector<TrainingMailRecord> mails_of(std::int64_t assignment_id) = 0;
  virtual std::vector<TrainingReportRow> report(std::int64_t workspace_id, std::int64_t group_id,
                                                std::int64_t now) = 0;

  // Portal.
  virtual void create_portal_link(std::int64_t workspace_id, std::int64_t target_id,
                                  const std::string& token_hash, std::int64_t now,
                                  std::int64_t expires_at) = 0;
  // The link /learn/start issues for an assignment: it replaces the one
  // issued for it before, so an assignment has at most one such link live.
  virtual void replace_start_link(std::int64_t workspace_id, std::int64_t target_id,
                                  std::int64_t assignment_id, const std::string& token_hash,
                                  std::int64_t now, std::int64_t expires_at) = 0;
  virtual std::optional<PortalLink> find_portal_link(const std::string& token_hash) = 0;
  // The person's assignments, open ones first (by due date), then the rest.
  virtual std::vector<Assignment> assignments_of_target(std::int64_t workspace_id,
                                                        std::int64_t target_id) = 0;
  // assigned → in_progress (first lesson opened); no-op otherwise.
  virtual void mark_started(std::int64_t assignment_id, std::int64_t now) = 0;
  // Replaces the assignment's pending quiz nonce (one quiz form at a time).
  virtual void set_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) = 0;
  // Consumes the nonce if it is the pending one; false otherwise.
  virtual bool consume_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) = 0;
  // Records a graded attempt; a pass completes the assignment (and cancels its
  // queued emails).
  virtual void record_attempt(const QuizAttempt& attempt) = 0;

  // Training emails (the dispatcher).
  virtual std::vector<TrainingMailJob> claim_training_mail(std::int64_t now,
                                                           std::int64_t lease_until, int limit) = 0;
  // False when the email is no longer being sent (its assignment was
  // completed or cancelled, which cancels it): it must not go out.
  virtual bool renew_training_mail_lease(std::int64_t mail_id, std::int64_t lease_until) = 0;
  virtual void release_training_mail(std::int64_t mail_id) = 0;
  virtual void mark_training_mail_sent(std::int64_t mail_id, const std::string& message_id,
                                       std::int64_t at) = 0;
  virtual void mark_training_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                                        const std::string& error) = 0;
  virtual void mark_training_mail_failed(std::int64_t mail_id, const std::string& error) = 0;
};

}  // namespace phishdrill
