#include "jobs/webhook_deliverer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/log_text.h"
#include "crypto/sodium.h"
#include "mail/http_post.h"

namespace phishdrill::jobs {

WebhookDeliverer::WebhookDeliverer(Store& store, const Clock& clock, WebhookOptions options)
    : store_(store), clock_(clock), options_(options) {}

WebhookDeliverer::~WebhookDeliverer() { stop(); }

void WebhookDeliverer::start() {
  stopping_ = false;
  thread_ = std::jthread([this] { run(); });
}

void WebhookDeliverer::stop() {
  stopping_ = true;
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookDeliverer::run() {
  while (!stopping_) {
    if (deliver_some()) continue;
    std::unique_lock lock(mutex_);
    wakeup_.wait_for(lock, options_.idle_poll, [&] { return stopping_.load(); });
  }
}

bool WebhookDeliverer::deliver_some() {
  std::vector<DueDelivery> due;
  const auto now = clock_.now();
  auto claimed = store_.write([&](Repositories& repos) -> Result<void> {
    // At most 4 at a time: even if each times out (10 s), the batch ends well
    // within its lease.
    due = repos.webhooks.claim_deliveries(now, now + options_.lease_seconds, 4);
    return {};
  });
  if (!claimed || due.empty()) return false;
  for (const auto& d : due) {
    if (stopping_) {  // give it back untried, for the next start
      (void)store_.write([&](Repositories& repos) -> Result<void> {
        repos.webhooks.release_delivery(d.delivery.id);
        return {};
      });
      continue;
    }
    if (d.secret.empty()) {
      spdlog::error("event=webhook_secret_unreadable webhook={}", d.delivery.webhook_id);
    }
    const auto sent_at = clock_.now();
    const std::string timestamp = std::to_string(sent_at);
    const std::string signature =
        crypto::hmac_sha256_hex(d.secret, timestamp + "." + d.delivery.payload);
    const auto result =
        post_json(d.url, d.delivery.payload,
                  {{"X-Phishdrill-Event", d.delivery.kind},
                   {"X-Phishdrill-Delivery", std::to_string(d.delivery.id)},
                   {"X-Phishdrill-Signature", "t=" + timestamp + ",v1=" + signature}},
                  {.timeout = std::chrono::seconds(10),
                   .verify_tls = options_.verify_tls,
                   .outbound = options_.outbound});
    const bool ok = result.error.empty() && result.status >= 200 && result.status < 300;
    const std::string error =
        ok ? std::string()
           : (result.error.empty() ? fmt::format("HTTP {}", result.status) : result.error);
    (void)store_.write([&](Repositories& repos) -> Result<void> {
      if (ok) {
        repos.webhooks.mark_delivered(d.delivery.id, result.status, clock_.now());
      } else if (const auto delay = options_.retry.delay_after(d.delivery.attempts);
                 delay && !result.refused) {
        repos.webhooks.mark_delivery_retry(d.delivery.id, clock_.now() + *delay, result.status,
                                           error);
      } else {
        repos.webhooks.mark_delivery_failed(d.delivery.id, result.status, error);
      }
      return {};
    });
    if (!ok) {
      spdlog::warn("event=webhook_failed delivery={} attempt={} error={}", d.delivery.id,
                   d.delivery.attempts, log_value(error));
    }
  }
  return true;
}

}  // namespace phishdrill::jobs
