#include "service/webhook/webhooks.h"

#include <gtest/gtest.h>

#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

using testing_support::FakeClock;
using testing_support::FakeTokens;

constexpr std::int64_t kNow = 1'700'000'000;

class WebhooksTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      admin_.workspace_id = repos.accounts.create_workspace("Acme", kNow).id;
      other_.workspace_id = repos.accounts.create_workspace("Other", kNow).id;
    });
    admin_.role = other_.role = Role::kAdmin;
    admin_.actor = {"user", 7, "ann@acme.example"};
    admin_.ip = "192.0.2.1";
  }

  WebhookPorts ports() { return {*store_, clock_, tokens_, key_, outbound_}; }

  static WebhookChange change(std::string url, std::string secret = {}) {
    WebhookChange c;
    c.webhook.name = "SIEM";
    c.webhook.url = std::move(url);
    c.webhook.events = {"clicked"};
    c.url_given = !c.webhook.url.empty();
    c.secret = std::move(secret);
    return c;
  }

  CreatedWebhook create(const std::string& url, const std::string& secret = {}) {
    auto created = create_webhook(ports(), admin_, change(url, secret));
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created.value_or(CreatedWebhook{});
  }

  // The URL and secret the deliverer would open for a delivery queued now.
  std::pair<std::string, std::string> opened_for_delivery() {
    std::vector<DueDelivery> due;
    write([&](Repositories& repos) {
      repos.webhooks.enqueue(admin_.workspace_id, "clicked", "{}", kNow);
      due = repos.webhooks.claim_deliveries(kNow + 1, kNow + 60, 10);
    });
    EXPECT_EQ(due.size(), 1u);
    if (due.empty()) return {};
    return {crypto::open(key_, due[0].url_sealed).value_or("<unreadable>"),
            crypto::open(key_, due[0].secret_sealed).value_or("<unreadable>")};
  }

  std::vector<AuditEntry> audit_log() {
    std::vector<AuditEntry> out;
    read([&](Repositories& repos) { out = repos.audit.list(admin_.workspace_id, {}).items; });
    return out;
  }

  Caller admin_, other_;
  FakeClock clock_{kNow};
  FakeTokens tokens_;
  OutboundPolicy outbound_;
};

TEST_F(WebhooksTest, CreateGeneratesASecretShownOnceAndSealsUrlAndSecret) {
  const std::string url = "https://hooks.example.com/services/T0KEN";
  const auto created = create(url);
  EXPECT_EQ(created.generated_secret, "whsec_" + FakeTokens().token(32));
  EXPECT_EQ(created.webhook.url_masked, "https://hooks.example.com/…");
  EXPECT_TRUE(created.webhook.url.empty());
  EXPECT_TRUE(created.webhook.has_secret);
  EXPECT_EQ(created.webhook.created_at, kNow);
  EXPECT_EQ(opened_for_delivery(), std::pair(url, created.generated_secret));
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "webhook.create");
  EXPECT_EQ(log[0].resource_id, created.webhook.id);
  EXPECT_EQ(log[0].actor.label, "ann@acme.example");
  EXPECT_EQ(log[0].ip, "192.0.2.1");
  EXPECT_EQ(log[0].details_json.find("T0KEN"), std::string::npos);
}

TEST_F(WebhooksTest, AGivenSecretIsKeptAndNotEchoed) {
  const auto created = create("https://hooks.example.com/in", "whsec_0123456789abcdef");
  EXPECT_TRUE(created.generated_secret.empty());
  EXPECT_EQ(tokens_.issued(), 0);
  EXPECT_EQ(opened_for_delivery().second, "whsec_0123456789abcdef");
}

TEST_F(WebhooksTest, InvalidInputIsRefusedBeforeAnythingIsStored) {
  auto short_secret = create_webhook(ports(), admin_, change("https://h.example/", "short"));
  ASSERT_FALSE(short_secret.has_value());
  EXPECT_EQ(short_secret.error().code, ErrorCode::kValidation);
  EXPECT_EQ(short_secret.error().field, "secret");
  auto no_url = create_webhook(ports(), admin_, change(""));
  ASSERT_FALSE(no_url.has_value());
  EXPECT_EQ(no_url.error().code, ErrorCode::kValidation);
  auto loopback = create_webhook(ports(), admin_, change("https://127.0.0.1/hook"));
  ASSERT_FALSE(loopback.has_value());
  EXPECT_EQ(loopback.error().code, ErrorCode::kValidation);
  EXPECT_EQ(loopback.error().field, "url");
  EXPECT_TRUE(list_webhooks(*store_, admin_, {}).value().items.empty());
  EXPECT_TRUE(audit_log().empty());
}

TEST_F(WebhooksTest, OnlyAdminsManageWebhooks) {
  const auto id = create("https://hooks.example.com/in").webhook.id;
  Caller operator_ = admin_;
  operator_.role = Role::kOperator;
  EXPECT_EQ(list_webhooks(*store_, operator_, {}).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(get_webhook(*store_, operator_, id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(create_webhook(ports(), operator_, change("https://h.example/")).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(update_webhook(ports(), operator_, id, change("")).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(delete_webhook(*store_, kNow, operator_, id).error().code, ErrorCode::kForbidden);
  EXPECT_EQ(list_deliveries(*store_, operator_, id, {}).error().code, ErrorCode::kForbidden);
}

TEST_F(WebhooksTest, UpdateKeepsTheUrlWhenMissingOrEchoedMaskedAndReplacesTheSecret) {
  const std::string url = "https://hooks.example.com/services/T0KEN";
  const auto created = create(url);
  clock_.advance(10);
  auto keep = change("https://hooks.example.com/…", "whsec_new_secret_0001");
  keep.webhook.name = "SIEM 2";
  auto updated = update_webhook(ports(), admin_, created.webhook.id, keep);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->name, "SIEM 2");
  EXPECT_EQ(updated->updated_at, kNow + 10);
  EXPECT_EQ(updated->created_at, kNow);
  EXPECT_EQ(opened_for_delivery(), std::pair(url, std::string("whsec_new_secret_0001")));
  auto moved =
      update_webhook(ports(), admin_, created.webhook.id, change("https://other.example.net/new"));
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->url_masked, "https://other.example.net/…");
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].action, "webhook.update");  // newest first
  EXPECT_NE(log[0].details_json.find(R"("url_changed":true)"), std::string::npos);
  EXPECT_NE(log[1].details_json.find(R"("url_changed":false)"), std::string::npos);
  EXPECT_NE(log[1].details_json.find(R"("secret_changed":true)"), std::string::npos);
}

TEST_F(WebhooksTest, AnotherWorkspacesWebhookIsNotFound) {
  const auto id = create("https://hooks.example.com/in").webhook.id;
  EXPECT_EQ(get_webhook(*store_, other_, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(update_webhook(ports(), other_, id, change("")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(delete_webhook(*store_, kNow, other_, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(list_deliveries(*store_, other_, id, {}).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(list_webhooks(*store_, other_, {}).value().items.empty());
  EXPECT_EQ(get_webhook(*store_, admin_, id + 1000).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(get_webhook(*store_, admin_, id).value().name, "SIEM");
}

TEST_F(WebhooksTest, DeleteIsAuditedOnce) {
  const auto id = create("https://hooks.example.com/in").webhook.id;
  ASSERT_TRUE(delete_webhook(*store_, kNow + 5, admin_, id).has_value());
  EXPECT_EQ(delete_webhook(*store_, kNow + 6, admin_, id).error().code, ErrorCode::kNotFound);
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "webhook.delete");
  EXPECT_EQ(log[0].at, kNow + 5);
}

TEST_F(WebhooksTest, DeliveriesAreListedForTheirWebhook) {
  const auto id = create("https://hooks.example.com/in").webhook.id;
  write([&](Repositories& repos) {
    repos.webhooks.enqueue(admin_.workspace_id, "clicked", R"({"event":"clicked"})", kNow);
  });
  const auto page = list_deliveries(*store_, admin_, id, {});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].kind, "clicked");
}

}  // namespace
}  // namespace phishdrill::service
