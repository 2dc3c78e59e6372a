// Port: training assignments, their quiz attempts and emails as the admin
// sees them, and the workspace's training settings (the portal's reads and
// writes are in portal_repository.h, the email queue's in
// training_mail_queue_repository.h). Which emails an assignment gets, and when a campaign's
// follow-up assigns, reopens or withdraws training, is decided by the
// services (service/assign_training.h, service/follow_up.h); completing or
// cancelling an assignment cancels the emails still queued. A person has at
// most one open assignment of a module, and a campaign assigns a person at
// most once: both are constraints. Portal links and quiz nonces are stored as
// hashes only. Used only inside a Store transaction.
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

// A campaign's follow-up training as it applies to one of its recipients.
struct CampaignFollowUp {
  std::int64_t workspace_id = 0;
  std::int64_t campaign_id = 0;
  std::int64_t target_id = 0;
  FollowUp follow_up;
  std::int64_t profile_id = 0;  // the campaign's sending profile
  std::string base_url;         // the campaign's phish base URL
};

struct AssignOutcome {
  std::int64_t created = 0;
  std::int64_t already_assigned = 0;  // an open assignment of this module existed
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
  // A new open assignment of `request`'s module for one target of the
  // workspace (a snapshot of the person is kept); nullopt when the person
  // already has that module open or the campaign already assigned them
  // (constraints), or the target is not in the workspace.
  virtual std::optional<std::int64_t> insert_assignment(std::int64_t workspace_id,
                                                        std::int64_t target_id,
                                                        const NewAssignments& request) = 0;
  // Queues these emails of the assignment.
  virtual void queue_training_mail(std::int64_t workspace_id, std::int64_t assignment_id,
                                   const std::vector<PlannedMail>& mails) = 0;
  // The follow-up of the recipient's campaign; nullopt when it has none.
  virtual std::optional<CampaignFollowUp> campaign_follow_up(std::int64_t recipient_id) = 0;
  // True when the campaign assigns follow-up training (campaign_follow_up
  // then finds it for each of its recipients).
  virtual bool campaign_has_follow_up(std::int64_t campaign_id) = 0;
  // The campaign's assignment of the target that was cancelled with
  // `withdrawn_reason`, reopened (assigned at `now`, due at `due_at`) unless
  // the person meanwhile has the module open another way. Returns nullopt
  // when there is no such assignment, else the id reopened (0: it stays closed).
  virtual std::optional<std::int64_t> reopen_withdrawn(std::int64_t campaign_id,
                                                       std::int64_t target_id,
                                                       const std::string& withdrawn_reason,
                                                       std::int64_t now, std::int64_t due_at) = 0;
  // Cancels the campaign's not-yet-started assignment of the target with
  // `reason`, and its queued emails; returns its id (0 when there is none).
  virtual std::int64_t withdraw_unstarted(std::int64_t campaign_id, std::int64_t target_id,
                                          const std::string& reason) = 0;
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
};

}  // namespace phishdrill
