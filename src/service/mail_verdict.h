// judge_send(): what a transport's answer means for a queued email, shared
// by campaign and training mail. Sent → kSent; a temporary refusal → kRetry
// after the policy's backoff for this attempt, or kFailed when no attempt is
// left; a permanent refusal → kFailed. The relay's code and reply travel in
// the verdict. Pure; thread-safe.
#pragma once

#include <cstdint>

#include "core/delivery_verdict.h"
#include "core/retry_policy.h"
#include "mail/mail_transport.h"

namespace phishdrill::service {

DeliveryVerdict judge_send(const SendOutcome& outcome, int attempts, const RetryPolicy& retry,
                           std::int64_t now);

}  // namespace phishdrill::service
