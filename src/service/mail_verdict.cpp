#include "service/mail_verdict.h"

namespace phishdrill::service {

DeliveryVerdict judge_send(const SendOutcome& outcome, int attempts, const RetryPolicy& retry,
                           std::int64_t now) {
  auto v = DeliveryVerdict::of(DeliveryVerdict::Kind::kSent, outcome.smtp_code, outcome.reply);
  switch (outcome.status) {
    case SendOutcome::Status::kSent:
      v.kind = DeliveryVerdict::Kind::kSent;
      break;
    case SendOutcome::Status::kTemporary:
      if (const auto delay = retry.delay_after(attempts)) {
        v.kind = DeliveryVerdict::Kind::kRetry;
        v.retry_at = now + *delay;
      } else {
        v.kind = DeliveryVerdict::Kind::kFailed;
      }
      break;
    case SendOutcome::Status::kPermanent:
      v.kind = DeliveryVerdict::Kind::kFailed;
      break;
  }
  return v;
}

}  // namespace phishdrill::service
