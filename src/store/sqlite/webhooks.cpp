#include <boost/json.hpp>

#include "store/sqlite/owned_rows.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {
namespace json = boost::json;
namespace {

// The column "url" holds the masked URL; "url_sealed" the URL itself.
constexpr const char* kWebhookColumns =
    "id, name, url, events, active, secret_sealed <> '', created_at, updated_at";

std::string events_to_json(const std::vector<std::string>& events) {
  json::array out;
  for (const auto& e : events) out.push_back(json::string(e));
  return json::serialize(out);
}

Webhook read_webhook(const Statement& s) {
  Webhook w;
  w.id = s.int64(0);
  w.name = s.text(1);
  w.url_masked = s.text(2);
  const json::value events = json::parse(s.text(3));
  for (const auto& e : events.as_array()) w.events.emplace_back(e.as_string());
  w.active = s.int64(4) != 0;
  w.has_secret = s.int64(5) != 0;
  w.created_at = s.int64(6);
  w.updated_at = s.int64(7);
  return w;
}

}  // namespace

Result<Webhook> SqliteWebhooks::create_webhook(std::int64_t workspace_id, const Webhook& w,
                                               const WebhookSeals& seals) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "INSERT INTO webhooks (workspace_id, name, url, url_sealed, secret_sealed, events, "
               "active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)")
            .bind(1, workspace_id)
            .bind(2, w.name)
            .bind(3, seals.url_masked)
            .bind(4, seals.url_sealed)
            .bind(5, seals.secret_sealed)
            .bind(6, events_to_json(w.events))
            .bind(7, w.active ? 1 : 0)
            .bind(8, w.created_at)
            .bind(9, w.updated_at)
            .run();
        Webhook created = w;
        created.id = db_.last_insert_id();
        created.url.clear();
        created.url_masked = seals.url_masked;
        created.has_secret = !seals.secret_sealed.empty();
        return created;
      },
      "name", "a webhook with this name already exists");
}

std::optional<Webhook> SqliteWebhooks::find_webhook(std::int64_t workspace_id, std::int64_t id) {
  return find_owned<Webhook>(db_, kWebhookColumns, "webhooks", workspace_id, id, read_webhook);
}

Page<Webhook> SqliteWebhooks::list_webhooks(std::int64_t workspace_id, PageRequest page) {
  return list_owned<Webhook>(db_, kWebhookColumns, "webhooks", workspace_id, page, read_webhook);
}

Result<void> SqliteWebhooks::update_webhook(std::int64_t workspace_id, const Webhook& w,
                                            const WebhookSeals& seals) {
  return unique_or_conflict(
      [&] {
        db_.prepare(
               "UPDATE webhooks SET name = ?1, events = ?2, active = ?3, updated_at = ?4, "
               "secret_sealed = CASE WHEN ?5 = '' THEN secret_sealed ELSE ?5 END, "
               "url = CASE WHEN ?6 = '' THEN url ELSE ?6 END, "
               "url_sealed = CASE WHEN ?7 = '' THEN url_sealed ELSE ?7 END "
               "WHERE workspace_id = ?8 AND id = ?9")
            .bind(1, w.name)
            .bind(2, events_to_json(w.events))
            .bind(3, w.active ? 1 : 0)
            .bind(4, w.updated_at)
            .bind(5, seals.secret_sealed)
            .bind(6, seals.url_masked)
            .bind(7, seals.url_sealed)
            .bind(8, workspace_id)
            .bind(9, w.id)
            .run();
      },
      "name", "a webhook with this name already exists");
}

bool SqliteWebhooks::delete_webhook(std::int64_t workspace_id, std::int64_t id) {
  return delete_owned(db_, "webhooks", workspace_id, id);
}

bool SqliteWebhooks::wants(std::int64_t workspace_id, const std::string& kind) {
  auto& stmt = db_.cached(
      "SELECT EXISTS (SELECT 1 FROM webhooks WHERE workspace_id = ?1 AND active = 1 "
      "AND instr(events, '\"' || ?2 || '\"') > 0)");
  stmt.bind(1, workspace_id).bind(2, kind);
  const bool wanted = stmt.step() && stmt.int64(0) != 0;
  stmt.reset();
  return wanted;
}

void SqliteWebhooks::enqueue(std::int64_t workspace_id, const std::string& kind,
                             const std::string& payload, std::int64_t now) {
  // Subscriptions are matched on the quoted kind inside the JSON array.
  db_.cached(
         "INSERT INTO webhook_deliveries (webhook_id, kind, payload, state, next_attempt_at, "
         "created_at) SELECT id, ?2, ?3, 'pending', ?4, ?4 FROM webhooks "
         "WHERE workspace_id = ?1 AND active = 1 AND instr(events, '\"' || ?2 || '\"') > 0")
      .bind(1, workspace_id)
      .bind(2, kind)
      .bind(3, payload)
      .bind(4, now)
      .run();
}

std::vector<DueDelivery> SqliteWebhooks::claim_deliveries(std::int64_t now,
                                                          std::int64_t lease_until, int limit) {
  auto stmt = db_.prepare(
      "UPDATE webhook_deliveries SET lease_until = ?1, attempts = attempts + 1 WHERE id IN "
      "(SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?2 "
      "AND lease_until < ?2 AND webhook_id IN (SELECT id FROM webhooks WHERE active = 1) "
      "ORDER BY next_attempt_at, id LIMIT ?3) "
      "RETURNING id, webhook_id, kind, payload, attempts, created_at");
  stmt.bind(1, lease_until).bind(2, now).bind(3, limit);
  std::vector<DueDelivery> due;
  while (stmt.step()) {
    DueDelivery d;
    d.delivery.id = stmt.int64(0);
    d.delivery.webhook_id = stmt.int64(1);
    d.delivery.kind = stmt.text(2);
    d.delivery.payload = stmt.text(3);
    d.delivery.attempts = static_cast<int>(stmt.int64(4));
    d.delivery.created_at = stmt.int64(5);
    d.delivery.state = "pending";
    due.push_back(std::move(d));
  }
  for (auto& d : due) {
    auto hook = db_.prepare("SELECT url_sealed, secret_sealed FROM webhooks WHERE id = ?");
    hook.bind(1, d.delivery.webhook_id);
    if (!hook.step()) continue;
    d.url_sealed = hook.text(0);
    d.secret_sealed = hook.text(1);
  }
  return due;
}

int SqliteWebhooks::seal_plain_urls() {
  std::vector<std::pair<std::int64_t, std::string>> plain;
  auto rows = db_.prepare("SELECT id, url FROM webhooks WHERE url_sealed = ''");
  while (rows.step()) plain.emplace_back(rows.int64(0), rows.text(1));
  for (const auto& [id, url] : plain) {
    db_.prepare("UPDATE webhooks SET url = ?, url_sealed = ? WHERE id = ?")
        .bind(1, mask_webhook_url(url))
        .bind(2, crypto::seal(key_, url))
        .bind(3, id)
        .run();
  }
  return static_cast<int>(plain.size());
}

void SqliteWebhooks::release_delivery(std::int64_t delivery_id) {
  db_.prepare(
         "UPDATE webhook_deliveries SET lease_until = 0, attempts = MAX(attempts - 1, 0) "
         "WHERE id = ? AND state = 'pending'")
      .bind(1, delivery_id)
      .run();
}

void SqliteWebhooks::mark_delivered(std::int64_t delivery_id, int status, std::int64_t at) {
  db_.prepare(
         "UPDATE webhook_deliveries SET state = 'delivered', last_status = ?, last_error = '', "
         "delivered_at = ?, lease_until = 0 WHERE id = ?")
      .bind(1, status)
      .bind(2, at)
      .bind(3, delivery_id)
      .run();
}

void SqliteWebhooks::mark_delivery_retry(std::int64_t delivery_id, std::int64_t next_at, int status,
                                         const std::string& error) {
  db_.prepare(
         "UPDATE webhook_deliveries SET next_attempt_at = ?, last_status = ?, last_error = ?, "
         "lease_until = 0 WHERE id = ?")
      .bind(1, next_at)
      .bind(2, status)
      .bind(3, error)
      .bind(4, delivery_id)
      .run();
}

void SqliteWebhooks::mark_delivery_failed(std::int64_t delivery_id, int status,
                                          const std::string& error) {
  db_.prepare(
         "UPDATE webhook_deliveries SET state = 'failed', last_status = ?, last_error = ?, "
         "lease_until = 0 WHERE id = ?")
      .bind(1, status)
      .bind(2, error)
      .bind(3, delivery_id)
      .run();
}

Page<WebhookDelivery> SqliteWebhooks::list_deliveries(std::int64_t webhook_id, PageRequest page) {
  auto stmt = db_.prepare(
      "SELECT id, webhook_id, kind, payload, state, attempts, next_attempt_at, last_status, "
      "last_error, created_at, delivered_at FROM webhook_deliveries WHERE webhook_id = ? "
      "AND id > ? ORDER BY id LIMIT ?");
  stmt.bind(1, webhook_id).bind(2, page.after_id).bind(3, page.limit + 1);
  return collect_page<WebhookDelivery>(stmt, page.limit, [](const Statement& s) {
    WebhookDelivery d;
    d.id = s.int64(0);
    d.webhook_id = s.int64(1);
    d.kind = s.text(2);
    d.payload = s.text(3);
    d.state = s.text(4);
    d.attempts = static_cast<int>(s.int64(5));
    d.next_attempt_at = s.int64(6);
    d.last_status = static_cast<int>(s.int64(7));
    d.last_error = s.text(8);
    d.created_at = s.int64(9);
    d.delivered_at = s.int64(10);
    return d;
  });
}

}  // namespace phishdrill::sqlite
