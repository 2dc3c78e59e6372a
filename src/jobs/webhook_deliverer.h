// WebhookDeliverer: drains the webhook outbox. A thread claims due deliveries
// under a lease, POSTs each JSON payload signed with
//   X-Phishdrill-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// and marks it delivered (2xx) or schedules a retry with exponential backoff
// (30 s doubling, at most an hour) until max_attempts, then failed; a
// delivery the OutboundPolicy refuses (the URL resolves to loopback, a
// private range ...) fails at once. A
// delivery interrupted by a crash is retried after its lease; receivers
// should dedupe on X-Phishdrill-Delivery. Thread-safe start()/stop().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/outbound_policy.h"
#include "core/retry_policy.h"
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
  WebhookDeliverer(Store& store, const Clock& clock, WebhookOptions options);
  ~WebhookDeliverer();
  void start();
  void stop();

 private:
  void run();
  bool deliver_some();

  Store& store_;
  const Clock& clock_;
  WebhookOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::jthread thread_;
};

}  // namespace phishdrill::jobs
