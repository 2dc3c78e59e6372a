#include "service/webhook/deliver_webhook.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/log_text.h"
#include "service/webhook/webhook_signature.h"

namespace phishdrill::service {

DeliverWebhook::DeliverWebhook(Store& store, const Clock& clock, const crypto::SecretKey& key,
                               HttpClient& http, WebhookDeliveryOptions options)
    : store_(store), clock_(clock), key_(key), http_(http), options_(options) {}

Result<std::vector<DueDelivery>> DeliverWebhook::claim(int limit) {
  std::vector<DueDelivery> due;
  const auto now = clock_.now();
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    due = repos.webhooks.claim_deliveries(now, now + options_.lease_seconds, limit);
    return {};
  }));
  return due;
}

HttpPostResult DeliverWebhook::attempt(const DueDelivery& d) {
  const auto secret = crypto::open(key_, d.secret_sealed).value_or(std::string());
  if (secret.empty()) {
    spdlog::error("event=webhook_secret_unreadable webhook={}", d.delivery.webhook_id);
  }
  return http_.post_json(
      crypto::open(key_, d.url_sealed).value_or(std::string()), d.delivery.payload,
      {{"X-Phishdrill-Event", d.delivery.kind},
       {"X-Phishdrill-Delivery", std::to_string(d.delivery.id)},
       {"X-Phishdrill-Signature", webhook_signature(secret, clock_.now(), d.delivery.payload)}},
      {.timeout = options_.timeout,
       .verify_tls = options_.verify_tls,
       .outbound = options_.outbound});
}

DeliveryVerdict DeliverWebhook::judge(const DueDelivery& d, const HttpPostResult& answer) const {
  if (answer.error.empty() && answer.status >= 200 && answer.status < 300) {
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kSent, answer.status);
  }
  auto v = DeliveryVerdict::of(
      DeliveryVerdict::Kind::kFailed, answer.status,
      answer.error.empty() ? fmt::format("HTTP {}", answer.status) : answer.error);
  if (const auto delay = options_.retry.delay_after(d.delivery.attempts);
      delay && !answer.refused) {
    v.kind = DeliveryVerdict::Kind::kRetry;
    v.retry_at = clock_.now() + *delay;
  }
  return v;
}

Result<void> DeliverWebhook::record(const DueDelivery& d, const DeliveryVerdict& v) {
  const auto id = d.delivery.id;
  auto stored = store_.write([&](Repositories& repos) -> Result<void> {
    switch (v.kind) {
      case DeliveryVerdict::Kind::kSent:
        repos.webhooks.mark_delivered(id, v.code, clock_.now());
        break;
      case DeliveryVerdict::Kind::kRetry:
        repos.webhooks.mark_delivery_retry(id, v.retry_at, v.code, v.detail);
        break;
      case DeliveryVerdict::Kind::kFailed:
      case DeliveryVerdict::Kind::kCancelled:
        repos.webhooks.mark_delivery_failed(id, v.code, v.detail);
        break;
      case DeliveryVerdict::Kind::kGiveBack:
        repos.webhooks.release_delivery(id);
        break;
    }
    return {};
  });
  if (v.kind != DeliveryVerdict::Kind::kSent && v.kind != DeliveryVerdict::Kind::kGiveBack) {
    spdlog::warn("event=webhook_failed delivery={} attempt={} error={}", id, d.delivery.attempts,
                 log_value(v.detail));
  }
  return stored;
}

Result<void> DeliverWebhook::release(const DueDelivery& d) {
  return store_.write([&](Repositories& repos) -> Result<void> {
    repos.webhooks.release_delivery(d.delivery.id);
    return {};
  });
}

}  // namespace phishdrill::service
