// Port: webhooks and their durable delivery outbox. Deliveries are enqueued
// in the same transaction as the event they carry, so an event is never
// delivered without having happened, nor lost once committed. The URL and
// the signing secret arrive sealed (service/webhook/webhooks.h seals them)
// and leave sealed (DueDelivery); a read Webhook carries only the masked URL
// (url_masked), never the URL. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/webhook.h"
#include "store/page.h"

namespace phishdrill {

// A webhook's URL and secret as stored: sealed by the caller, with the URL's
// masked form for display. On update an empty field keeps the stored one.
struct WebhookSeals {
  std::string url_masked;
  std::string url_sealed;
  std::string secret_sealed;
};

struct DueDelivery {
  WebhookDelivery delivery;
  std::string url_sealed;
  std::string secret_sealed;
};

class WebhooksRepository {
 public:
  virtual ~WebhooksRepository() = default;

  // Stores w's name, events and state with `seals` (w.url is not read).
  virtual Result<Webhook> create_webhook(std::int64_t workspace_id, const Webhook& w,
                                         const WebhookSeals& seals) = 0;
  virtual std::optional<Webhook> find_webhook(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<Webhook> list_webhooks(std::int64_t workspace_id, PageRequest page) = 0;
  virtual Result<void> update_webhook(std::int64_t workspace_id, const Webhook& w,
                                      const WebhookSeals& seals) = 0;
  virtual bool delete_webhook(std::int64_t workspace_id, std::int64_t id) = 0;

  // True when an active webhook of the workspace wants `kind` (lets a busy
  // writer skip building payloads nobody receives).
  virtual bool wants(std::int64_t workspace_id, const std::string& kind) = 0;
  // Queues `payload` for every active webhook of the workspace subscribed to `kind`.
  virtual void enqueue(std::int64_t workspace_id, const std::string& kind,
                       const std::string& payload, std::int64_t now) = 0;
  // Due deliveries of active webhooks (a paused webhook keeps its queue).
  virtual std::vector<DueDelivery> claim_deliveries(std::int64_t now, std::int64_t lease_until,
                                                    int limit) = 0;
  // Gives back a claimed delivery that was never tried (shutting down).
  virtual void release_delivery(std::int64_t delivery_id) = 0;
  virtual void mark_delivered(std::int64_t delivery_id, int status, std::int64_t at) = 0;
  virtual void mark_delivery_retry(std::int64_t delivery_id, std::int64_t next_at, int status,
                                   const std::string& error) = 0;
  virtual void mark_delivery_failed(std::int64_t delivery_id, int status,
                                    const std::string& error) = 0;
  virtual Page<WebhookDelivery> list_deliveries(std::int64_t webhook_id, PageRequest page) = 0;
};

}  // namespace phishdrill
