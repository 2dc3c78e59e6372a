#include "jobs/webhook_deliverer.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"

namespace phishdrill::jobs {
namespace {

constexpr int kBatch = 4;

// The outbox as the generic worker sees it.
class WebhookQueue final : public LeasedQueue<DueDelivery> {
 public:
  explicit WebhookQueue(service::DeliverWebhook& deliver) : deliver_(deliver) {}

  std::vector<DueDelivery> claim(int limit) override {
    auto claimed = deliver_.claim(limit);
    if (!claimed) {
      spdlog::error("event=webhook_claim_failed message={}", log_value(claimed.error().message));
      return {};
    }
    return std::move(*claimed);
  }
  // A batch ends within its lease (kBatch × the timeout): nothing to renew.
  void renew(const DueDelivery&) override {}
  void release(const DueDelivery& due) override { (void)deliver_.release(due); }
  DeliveryVerdict handle(const DueDelivery& due, Lease&) override {
    return deliver_.judge(due, deliver_.attempt(due));
  }
  void record(const DueDelivery& due, const DeliveryVerdict& verdict) override {
    if (auto stored = deliver_.record(due, verdict); !stored) {
      spdlog::error("event=webhook_record_failed delivery={} message={}", due.delivery.id,
                    log_value(stored.error().message));
    }
  }

 private:
  service::DeliverWebhook& deliver_;
};

class WebhookSource final : public WorkSource {
 public:
  WebhookSource(service::DeliverWebhook& deliver, const std::atomic<bool>& stopping,
                int lease_seconds)
      : queue_(deliver),
        worker_(queue_, stopping,
                {.batch = kBatch, .lease_seconds = lease_seconds, .now = steady_now}) {}
  bool run_once() override { return worker_.run_once(); }

 private:
  WebhookQueue queue_;
  LeasedQueueWorker<DueDelivery> worker_;
};

}  // namespace

WebhookDeliverer::WebhookDeliverer(Store& store, const Clock& clock, const crypto::SecretKey& key,
                                   HttpClient& http, WebhookOptions options)
    : deliver_(store, clock, key, http,
               {.retry = options.retry,
                .lease_seconds = options.lease_seconds,
                .verify_tls = options.verify_tls,
                .outbound = options.outbound,
                .timeout = std::chrono::seconds(10)}) {
  const int lease_seconds = options.lease_seconds;
  runner_ = std::make_unique<LeasedQueueRunner>(
      RunnerOptions{.threads = 1, .idle_first = options.idle_poll, .idle_max = options.idle_poll},
      [this, lease_seconds](int) {
        return std::make_unique<WebhookSource>(deliver_, runner_->stopping(), lease_seconds);
      });
}

WebhookDeliverer::~WebhookDeliverer() { stop(); }

void WebhookDeliverer::start() { runner_->start(); }

void WebhookDeliverer::stop() { runner_->stop(); }

}  // namespace phishdrill::jobs
