#include "service/webhook/deliver_webhook.h"

#include <gtest/gtest.h>

#include "service/webhook/webhook_signature.h"
#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

using Kind = DeliveryVerdict::Kind;

using testing_support::FakeClock;

class FakeHttp final : public HttpClient {
 public:
  HttpPostResult post_json(const std::string& url, const std::string& body,
                           const HttpHeaders& headers, const HttpPostOptions& options) override {
    calls.push_back({url, body, headers, options.verify_tls});
    return answer;
  }
  struct Call {
    std::string url, body;
    HttpHeaders headers;
    bool verify_tls;
  };
  std::vector<Call> calls;
  HttpPostResult answer{200, {}};
};

std::string header(const HttpHeaders& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "<missing>";
}

class DeliverWebhookTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", 1000).id;
      Webhook w;
      w.name = "SIEM";
      w.url = "https://hooks.example.com/in";
      w.events = {"clicked"};
      hook_ = repos.webhooks
                  .create_webhook(ws_, w,
                                  {mask_webhook_url(w.url), crypto::seal(key_, w.url),
                                   crypto::seal(key_, "whsec_0123456789abcdef")})
                  .value()
                  .id;
      repos.webhooks.enqueue(ws_, "clicked", R"({"event":"clicked"})", 1000);
    });
  }

  DeliverWebhook use_case(int max_attempts = 10) {
    return DeliverWebhook(*store_, clock_, key_, http_,
                          {.retry = {.base_delay_seconds = 30,
                                     .max_delay_seconds = 3600,
                                     .max_attempts = max_attempts},
                           .lease_seconds = 60,
                           .verify_tls = false,
                           .outbound = {},
                           .timeout = std::chrono::seconds(10)});
  }

  WebhookDelivery stored() {
    WebhookDelivery d;
    read([&](Repositories& repos) {
      auto page = repos.webhooks.list_deliveries(hook_, {});
      ASSERT_EQ(page.items.size(), 1u);
      d = page.items.front();
    });
    return d;
  }

  std::int64_t ws_ = 0;
  std::int64_t hook_ = 0;
  FakeClock clock_{5000};
  FakeHttp http_;
};

TEST_F(DeliverWebhookTest, PostsTheSignedPayloadAndRecordsItDelivered) {
  auto deliver = use_case();
  auto due = deliver.claim(4).value();
  ASSERT_EQ(due.size(), 1u);
  const auto answer = deliver.attempt(due[0]);
  ASSERT_EQ(http_.calls.size(), 1u);
  const auto& call = http_.calls[0];
  EXPECT_EQ(call.url, "https://hooks.example.com/in");
  EXPECT_EQ(call.body, R"({"event":"clicked"})");
  EXPECT_FALSE(call.verify_tls);
  EXPECT_EQ(header(call.headers, "X-Phishdrill-Event"), "clicked");
  EXPECT_EQ(header(call.headers, "X-Phishdrill-Delivery"), std::to_string(due[0].delivery.id));
  EXPECT_EQ(header(call.headers, "X-Phishdrill-Signature"),
            webhook_signature("whsec_0123456789abcdef", 5000, call.body));
  const auto verdict = deliver.judge(due[0], answer);
  EXPECT_EQ(verdict.kind, Kind::kSent);
  ASSERT_TRUE(deliver.record(due[0], verdict).has_value());
  EXPECT_EQ(stored().state, "delivered");
  EXPECT_EQ(stored().last_status, 200);
}

TEST_F(DeliverWebhookTest, AnErrorStatusIsRetriedWithBackoff) {
  auto deliver = use_case();
  auto due = deliver.claim(4).value();
  ASSERT_EQ(due.size(), 1u);
  const auto verdict = deliver.judge(due[0], {503, {}});
  EXPECT_EQ(verdict.kind, Kind::kRetry);
  EXPECT_EQ(verdict.retry_at, 5000 + 30);
  EXPECT_EQ(verdict.detail, "HTTP 503");
  ASSERT_TRUE(deliver.record(due[0], verdict).has_value());
  const auto d = stored();
  EXPECT_EQ(d.state, "pending");
  EXPECT_EQ(d.next_attempt_at, 5030);
  EXPECT_EQ(d.last_error, "HTTP 503");
  // Not due before its time.
  EXPECT_TRUE(deliver.claim(4).value().empty());
  clock_.set(5030);
  EXPECT_EQ(deliver.claim(4).value().size(), 1u);
}

TEST_F(DeliverWebhookTest, ARefusedAddressFailsAtOnce) {
  auto deliver = use_case();
  auto due = deliver.claim(4).value();
  ASSERT_EQ(due.size(), 1u);
  const auto verdict = deliver.judge(due[0], {0, "refused: private address", true});
  EXPECT_EQ(verdict.kind, Kind::kFailed);
  ASSERT_TRUE(deliver.record(due[0], verdict).has_value());
  EXPECT_EQ(stored().state, "failed");
}

TEST_F(DeliverWebhookTest, TheLastAttemptFails) {
  auto deliver = use_case(/*max_attempts=*/1);
  auto due = deliver.claim(4).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(deliver.judge(due[0], {0, "timeout"}).kind, Kind::kFailed);
}

TEST_F(DeliverWebhookTest, AReleasedClaimIsDueAgainAtOnce) {
  auto deliver = use_case();
  auto due = deliver.claim(4).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(deliver.claim(4).value().empty());  // leased
  ASSERT_TRUE(deliver.release(due[0]).has_value());
  auto again = deliver.claim(4).value();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].delivery.attempts, due[0].delivery.attempts);
  EXPECT_TRUE(http_.calls.empty());
}

TEST_F(DeliverWebhookTest, ADeliveryWhoseLeaseRanOutIsClaimedAgain) {
  auto deliver = use_case();
  auto due = deliver.claim(4).value();
  ASSERT_EQ(due.size(), 1u);
  clock_.advance(59);
  EXPECT_TRUE(deliver.claim(4).value().empty());  // still leased (60 s)
  clock_.advance(2);                              // the worker died mid-POST
  auto again = deliver.claim(4).value();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].delivery.id, due[0].delivery.id);
  EXPECT_EQ(again[0].delivery.attempts, due[0].delivery.attempts + 1);
}

TEST_F(DeliverWebhookTest, AnUnreadableSecretStillPostsButUnsigned) {
  write([&](Repositories& repos) {
    Webhook w;
    w.id = hook_;
    w.name = "SIEM";
    w.events = {"clicked"};
    ASSERT_TRUE(repos.webhooks.update_webhook(ws_, w, {"", "", "not-sealed"}).has_value());
  });
  auto deliver = use_case();
  auto due = deliver.claim(4).value();
  ASSERT_EQ(due.size(), 1u);
  (void)deliver.attempt(due[0]);
  ASSERT_EQ(http_.calls.size(), 1u);
  EXPECT_EQ(http_.calls[0].url, "https://hooks.example.com/in");
  EXPECT_EQ(header(http_.calls[0].headers, "X-Phishdrill-Signature"),
            webhook_signature("", 5000, http_.calls[0].body));
}

}  // namespace
}  // namespace phishdrill::service
