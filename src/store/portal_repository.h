// Port: what the employee training portal reads and writes: personal links
// (stored as hashes only), a person's assignments, lesson progress, one-time
// quiz nonces and graded attempts. A pass completes the assignment and
// cancels its queued emails. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/assignment.h"

namespace phishdrill {

struct PortalLink {
  std::int64_t workspace_id = 0;
  std::int64_t target_id = 0;
  std::int64_t expires_at = 0;
};

class PortalRepository {
 public:
  virtual ~PortalRepository() = default;

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
};

}  // namespace phishdrill
