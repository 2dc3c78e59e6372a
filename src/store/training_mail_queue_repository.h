// Port: the queue of training emails. Claims are exclusive until their lease
// ends (a conditional update), so any number of workers on any number of
// nodes never send one email twice at once; an email whose assignment was
// completed or cancelled meanwhile is cancelled with it and must not go out.
// Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/assignment.h"

namespace phishdrill {

// A training email due to go out, claimed under a lease.
struct TrainingMailJob {
  std::int64_t id = 0;
  std::int64_t workspace_id = 0;
  std::string kind;  // "assigned", "reminder", "overdue"
  int attempts = 0;  // including this one
  Assignment assignment;
};

class TrainingMailQueueRepository {
 public:
  virtual ~TrainingMailQueueRepository() = default;

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
