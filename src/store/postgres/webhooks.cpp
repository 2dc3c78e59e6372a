#include <boost/json.hpp>

#include "store/postgres/repositories.h"

namespace phishdrill::pg {
namespace json = boost::json;
namespace {

// The column "url" holds the masked URL; "url_sealed" the URL itself.
const std::string kWebhookColumns =
    "id, name, url, events, active, secret_sealed <> '', created_at, updated_at";

// Subscriptions are matched on the quoted kind inside the JSON array.
const std::string kSubscribed =
    "workspace_id = $1 AND active AND strpos(events, '\"' || $2 || '\"') > 0";

std::string events_to_json(const std::vector<std::string>& events) {
  json::array out;
  for (const auto& e : events) out.push_back(json::string(e));
  return json::serialize(out);
}

Webhook read_webhook(const Row& r) {
  Webhook w;
  w.id = r.int64(0);
  w.name = r.text(1);
  w.url_masked = r.text(2);
  const json::value events = json::parse(r.text(3));
  for (const auto& e : events.as_array()) w.events.emplace_back(e.as_string());
  w.active = r.boolean(4);
  w.has_secret = r.boolean(5);
  w.created_at = r.int64(6);
  w.updated_at = r.int64(7);
  return w;
}

DueDelivery read_due(const Row& r) {
  DueDelivery d;
  d.delivery.id = r.int64(0);
  d.delivery.webhook_id = r.int64(1);
  d.delivery.kind = r.text(2);
  d.delivery.payload = r.text(3);
  d.delivery.attempts = static_cast<int>(r.int64(4));
  d.delivery.created_at = r.int64(5);
  d.delivery.state = "pending";
  d.url_sealed = r.text(6);
  d.secret_sealed = r.text(7);
  return d;
}

WebhookDelivery read_delivery(const Row& r) {
  WebhookDelivery d;
  d.id = r.int64(0);
  d.webhook_id = r.int64(1);
  d.kind = r.text(2);
  d.payload = r.text(3);
  d.state = r.text(4);
  d.attempts = static_cast<int>(r.int64(5));
  d.next_attempt_at = r.int64(6);
  d.last_status = static_cast<int>(r.int64(7));
  d.last_error = r.text(8);
  d.created_at = r.int64(9);
  d.delivered_at = r.int64(10);
  return d;
}

}  // namespace

Result<Webhook> PgWebhooks::create_webhook(std::int64_t workspace_id, const Webhook& w,
                                           const WebhookSeals& seals) {
  return unique_or_conflict(
      db_,
      [&] {
        const auto rows = db_.run(
            "INSERT INTO webhooks (workspace_id, name, url, url_sealed, secret_sealed, events, "
            "active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "RETURNING id",
            workspace_id, w.name, seals.url_masked, seals.url_sealed, seals.secret_sealed,
            events_to_json(w.events), w.active, w.created_at, w.updated_at);
        Webhook created = w;
        created.id = rows.int64(0, 0);
        created.url.clear();
        created.url_masked = seals.url_masked;
        created.has_secret = !seals.secret_sealed.empty();
        return created;
      },
      "name", "a webhook with this name already exists");
}

std::optional<Webhook> PgWebhooks::find_webhook(std::int64_t workspace_id, std::int64_t id) {
  const auto rows =
      db_.run("SELECT " + kWebhookColumns + " FROM webhooks WHERE workspace_id = $1 AND id = $2",
              workspace_id, id);
  if (rows.empty()) return std::nullopt;
  return read_webhook(Row(rows, 0));
}

Page<Webhook> PgWebhooks::list_webhooks(std::int64_t workspace_id, PageRequest page) {
  const auto rows = db_.run("SELECT " + kWebhookColumns +
                                " FROM webhooks WHERE workspace_id = $1 AND id > $2 "
                                "ORDER BY id LIMIT $3",
                            workspace_id, page.after_id, page.limit + 1);
  return collect_page<Webhook>(rows, page.limit, read_webhook);
}

Result<void> PgWebhooks::update_webhook(std::int64_t workspace_id, const Webhook& w,
                                        const WebhookSeals& seals) {
  return unique_or_conflict(
      db_,
      [&] {
        db_.run(
            "UPDATE webhooks SET name = $1, events = $2, active = $3, updated_at = $4, "
            "secret_sealed = CASE WHEN $5 = '' THEN secret_sealed ELSE $5 END, "
            "url = CASE WHEN $6 = '' THEN url ELSE $6 END, "
            "url_sealed = CASE WHEN $7 = '' THEN url_sealed ELSE $7 END "
            "WHERE workspace_id = $8 AND id = $9",
            w.name, events_to_json(w.events), w.active, w.updated_at, seals.secret_sealed,
            seals.url_masked, seals.url_sealed, workspace_id, w.id);
      },
      "name", "a webhook with this name already exists");
}

bool PgWebhooks::delete_webhook(std::int64_t workspace_id, std::int64_t id) {
  return db_.run("DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2", workspace_id, id)
             .affected() > 0;
}

bool PgWebhooks::wants(std::int64_t workspace_id, const std::string& kind) {
  return db_
      .run("SELECT EXISTS (SELECT 1 FROM webhooks WHERE " + kSubscribed + ")", workspace_id, kind)
      .boolean(0, 0);
}

void PgWebhooks::enqueue(std::int64_t workspace_id, const std::string& kind,
                         const std::string& payload, std::int64_t now) {
  db_.run(
      "INSERT INTO webhook_deliveries (webhook_id, kind, payload, state, next_attempt_at, "
      "created_at) SELECT id, $2, $3, 'pending', $4, $4 FROM webhooks WHERE " +
          kSubscribed,
      workspace_id, kind, payload, now);
}

std::vector<DueDelivery> PgWebhooks::claim_deliveries(std::int64_t now, std::int64_t lease_until,
                                                      int limit) {
  // SKIP LOCKED: nodes claiming at the same moment take different rows
  // instead of waiting on each other's.
  const auto rows = db_.run(
      "WITH due AS (SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
      "WHERE d.state = 'pending' AND d.next_attempt_at <= $2 AND d.lease_until < $2 AND w.active "
      "ORDER BY d.next_attempt_at, d.id LIMIT $3 FOR UPDATE OF d SKIP LOCKED), "
      "claimed AS (UPDATE webhook_deliveries d SET lease_until = $1, attempts = d.attempts + 1 "
      "FROM due WHERE d.id = due.id "
      "RETURNING d.id, d.webhook_id, d.kind, d.payload, d.attempts, d.created_at, "
      "d.next_attempt_at) "
      "SELECT c.id, c.webhook_id, c.kind, c.payload, c.attempts, c.created_at, w.url_sealed, "
      "w.secret_sealed FROM claimed c JOIN webhooks w ON w.id = c.webhook_id "
      "ORDER BY c.next_attempt_at, c.id",
      lease_until, now, limit);
  std::vector<DueDelivery> due;
  due.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) due.push_back(read_due(Row(rows, i)));
  return due;
}

void PgWebhooks::release_delivery(std::int64_t delivery_id) {
  db_.run(
      "UPDATE webhook_deliveries SET lease_until = 0, attempts = GREATEST(attempts - 1, 0) "
      "WHERE id = $1 AND state = 'pending'",
      delivery_id);
}

void PgWebhooks::mark_delivered(std::int64_t delivery_id, int status, std::int64_t at) {
  db_.run(
      "UPDATE webhook_deliveries SET state = 'delivered', last_status = $1, last_error = '', "
      "delivered_at = $2, lease_until = 0 WHERE id = $3",
      status, at, delivery_id);
}

void PgWebhooks::mark_delivery_retry(std::int64_t delivery_id, std::int64_t next_at, int status,
                                     const std::string& error) {
  db_.run(
      "UPDATE webhook_deliveries SET next_attempt_at = $1, last_status = $2, last_error = $3, "
      "lease_until = 0 WHERE id = $4",
      next_at, status, error, delivery_id);
}

void PgWebhooks::mark_delivery_failed(std::int64_t delivery_id, int status,
                                      const std::string& error) {
  db_.run(
      "UPDATE webhook_deliveries SET state = 'failed', last_status = $1, last_error = $2, "
      "lease_until = 0 WHERE id = $3",
      status, error, delivery_id);
}

Page<WebhookDelivery> PgWebhooks::list_deliveries(std::int64_t webhook_id, PageRequest page) {
  const auto rows = db_.run(
      "SELECT id, webhook_id, kind, payload, state, attempts, next_attempt_at, last_status, "
      "last_error, created_at, delivered_at FROM webhook_deliveries WHERE webhook_id = $1 "
      "AND id > $2 ORDER BY id LIMIT $3",
      webhook_id, page.after_id, page.limit + 1);
  return collect_page<WebhookDelivery>(rows, page.limit, read_delivery);
}

}  // namespace phishdrill::pg
