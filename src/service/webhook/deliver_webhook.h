// DeliverWebhook: the webhook outbox's use case. claim() takes due deliveries
// of active webhooks under a lease; attempt() opens the webhook's sealed URL
// and secret with the store key and POSTs the payload through the HttpClient
// port with
//   X-Phishdrill-Event, X-Phishdrill-Delivery (receivers dedupe on it) and
//   X-Phishdrill-Signature (service/webhook/webhook_signature.h);
// judge() turns the answer into a verdict: 2xx delivered; otherwise a retry
// with exponential backoff (options.retry) until its attempts are spent,
// then failed; a delivery the outbound policy refuses fails at once. record()
// stores the verdict; release() gives back a claim never tried. A delivery
// interrupted by a crash is claimed again after its lease. Holds no state of
// its own: thread-safe as its ports are.
#pragma once

#include <chrono>
#include <vector>

#include "core/clock.h"
#include "core/delivery_verdict.h"
#include "core/outbound_policy.h"
#include "core/retry_policy.h"
#include "crypto/sodium.h"
#include "http_client/http_client.h"
#include "store/store.h"

namespace phishdrill::service {

struct WebhookDeliveryOptions {
  RetryPolicy retry{.base_delay_seconds = 30, .max_delay_seconds = 3600, .max_attempts = 10};
  int lease_seconds = 60;
  bool verify_tls = true;
  OutboundPolicy outbound{};
  std::chrono::seconds timeout{10};
};

class DeliverWebhook {
 public:
  DeliverWebhook(Store& store, const Clock& clock, const crypto::SecretKey& key, HttpClient& http,
                 WebhookDeliveryOptions options);

  Result<std::vector<DueDelivery>> claim(int limit);
  HttpPostResult attempt(const DueDelivery& due);
  DeliveryVerdict judge(const DueDelivery& due, const HttpPostResult& answer) const;
  Result<void> record(const DueDelivery& due, const DeliveryVerdict& verdict);
  Result<void> release(const DueDelivery& due);

 private:
  Store& store_;
  const Clock& clock_;
  const crypto::SecretKey& key_;
  HttpClient& http_;
  WebhookDeliveryOptions options_;
};

}  // namespace phishdrill::service
