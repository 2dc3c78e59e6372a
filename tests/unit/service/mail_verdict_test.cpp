#include "service/mail_verdict.h"

#include <gtest/gtest.h>

namespace phishdrill::service {
namespace {

using Kind = DeliveryVerdict::Kind;
const RetryPolicy kRetry{.base_delay_seconds = 60, .max_delay_seconds = 3600, .max_attempts = 3};

TEST(JudgeSendTest, AcceptedIsSent) {
  const auto v = judge_send({SendOutcome::Status::kSent, 250, "ok"}, 1, kRetry, 1000);
  EXPECT_EQ(v.kind, Kind::kSent);
  EXPECT_EQ(v.code, 250);
}

TEST(JudgeSendTest, TemporaryRefusalIsRetriedAfterTheBackoffForThisAttempt) {
  auto v = judge_send({SendOutcome::Status::kTemporary, 451, "busy"}, 1, kRetry, 1000);
  EXPECT_EQ(v.kind, Kind::kRetry);
  EXPECT_EQ(v.retry_at, 1060);
  EXPECT_EQ(v.code, 451);
  EXPECT_EQ(v.detail, "busy");
  v = judge_send({SendOutcome::Status::kTemporary, 451, "busy"}, 2, kRetry, 1000);
  EXPECT_EQ(v.retry_at, 1120);
}

TEST(JudgeSendTest, TemporaryRefusalWithNoAttemptLeftFails) {
  const auto v = judge_send({SendOutcome::Status::kTemporary, 451, "busy"}, 3, kRetry, 1000);
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.detail, "busy");
}

TEST(JudgeSendTest, PermanentRefusalFailsAtOnce) {
  const auto v =
      judge_send({SendOutcome::Status::kPermanent, 550, "no such user"}, 1, kRetry, 1000);
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.code, 550);
}

}  // namespace
}  // namespace phishdrill::service
