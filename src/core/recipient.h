// Recipient: one target in one campaign — a snapshot of the person's fields
// taken at launch, the message variant they get, their unguessable rid and
// where their message stands. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/target.h"

namespace phishdrill {

enum class SendState {
  kQueued,     // waiting for its send time
  kSending,    // claimed by a dispatcher under a lease
  kSent,       // accepted by the relay / written to the outbox
  kFailed,     // permanently refused; see last_error
  kCancelled,  // the campaign was cancelled or completed before sending
};

std::string_view send_state_name(SendState state);
std::optional<SendState> parse_send_state(std::string_view name);

struct Recipient {
  std::int64_t id = 0;
  std::int64_t campaign_id = 0;
  std::int64_t target_id = 0;
  std::string rid;  // ≥ 128 random bits, URL-safe
  TargetFields fields;
  std::int64_t variant_id = 0;  // the campaign variant (template snapshot) this person gets
  std::int64_t send_at = 0;
  SendState state = SendState::kQueued;
  int attempts = 0;
  std::string message_id;  // RFC 5322 Message-ID, fixed at launch so a resend reuses it
  std::int64_t sent_at = 0;
  std::string last_error;  // the relay's reply for a retry or a failure
  int smtp_code = 0;
  // Results (human hits only): furthest funnel step and when each was first reached.
  int status_rank = 0;  // 0 none, 1 opened, 2 clicked, 3 submitted
  std::int64_t first_opened_at = 0;
  std::int64_t first_clicked_at = 0;
  std::int64_t first_submitted_at = 0;
  std::int64_t reported_at = 0;
};

// "sent"/"opened"/"clicked"/"submitted" for a sent recipient's furthest step.
std::string_view result_status_name(int status_rank);

}  // namespace phishdrill
