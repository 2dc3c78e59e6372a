// WebhookDeliverer: drains the webhook outbox on one leased-queue worker
// thread (jobs/leased_queue_worker.h), at most 4 deliveries per claim so a
// batch of timeouts (10 s each) ends well within its lease. What a delivery
// is (signature, retry policy, refusal) is the use case's business:
// service/webhook/deliver_webhook.h. Receivers should dedupe on
// X-Phishdrill-Delivery. Thread-safe start()/stop().
#pragma once

#include <chrono>
#include <memory>

#include "core/clock.h"
#include "core/outbound_policy.h"
#include "core/retry_policy.h"
#include "jobs/leased_queue_worker.h"
#include "service/webhook/deliver_webhook.h"
#include "store/store.h"

namespace phishdrill::jobs {

struct WebhookOptions {
  RetryPolicy retry{.base_delay_seconds = 30, .max_delay_seconds = 3600, .max_attempts = 10};
  int lease_seconds = 60;
  bool verify_tls = true;
  OutboundPolicy outbound{};
  std::chrono::milliseconds idle_poll{1000};
};

class WebhookDeliverer {
 public:
  // `key` opens the webhooks' sealed URLs and secrets.
  WebhookDeliverer(Store& store, const Clock& clock, const crypto::SecretKey& key, HttpClient& http,
                   WebhookOptions options);
  ~WebhookDeliverer();
  void start();
  void stop();

 private:
  service::DeliverWebhook deliver_;
  std::unique_ptr<LeasedQueueRunner> runner_;
};

}  // namespace phishdrill::jobs
