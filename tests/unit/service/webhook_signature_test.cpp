#include "service/webhook/webhook_signature.h"

#include <gtest/gtest.h>

#include "crypto/sodium.h"

namespace phishdrill::service {
namespace {

TEST(WebhookSignatureTest, SignsTimeDotBodyAndNamesTheTime) {
  const std::string body = R"({"event":"clicked"})";
  const auto signature = webhook_signature("whsec_k", 1700000000, body);
  EXPECT_EQ(signature,
            "t=1700000000,v1=" + crypto::hmac_sha256_hex("whsec_k", "1700000000." + body));
}

TEST(WebhookSignatureTest, DependsOnTheTimeAndTheSecret) {
  EXPECT_EQ(webhook_signature("key", 1, "x").substr(0, 7), "t=1,v1=");
  EXPECT_EQ(webhook_signature("key", 1, "x").size(), 7u + 64u);
  EXPECT_NE(webhook_signature("key", 1, "x"), webhook_signature("key", 2, "x"));
  EXPECT_NE(webhook_signature("key", 1, "x"), webhook_signature("other", 1, "x"));
}

}  // namespace
}  // namespace phishdrill::service
