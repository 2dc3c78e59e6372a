// Webhook validation (no credentials in the URL) and the masked URL form.
#include "core/webhook.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

Webhook hook(std::string url) {
  Webhook w;
  w.name = "SIEM";
  w.url = std::move(url);
  w.events = {"clicked"};
  return w;
}

TEST(WebhookTest, UrlWithCredentialsIsRefused) {
  for (const char* url : {"https://user:pw@hooks.example.com/x", "https://user@hooks.example.com/",
                          "http://a:b@10.0.0.1:8080"}) {
    auto w = hook(url);
    auto result = validate_webhook(w);
    ASSERT_FALSE(result.has_value()) << url;
    EXPECT_EQ(result.error().field, "url");
  }
  auto fine = hook("https://hooks.example.com/in?token=a@b");  // '@' after the host is data
  EXPECT_TRUE(validate_webhook(fine).has_value());
}

TEST(WebhookTest, UrlMayBeOmittedOnlyWhenNotRequired) {
  auto w = hook("");
  EXPECT_FALSE(validate_webhook(w).has_value());
  EXPECT_TRUE(validate_webhook(w, false).has_value());
}

TEST(WebhookTest, MaskKeepsSchemeHostAndPortOnly) {
  EXPECT_EQ(mask_webhook_url("https://hooks.example.com/services/T0/B1/secret?x=1"),
            "https://hooks.example.com/…");
  EXPECT_EQ(mask_webhook_url("http://hooks.example.com:8443"), "http://hooks.example.com:8443/…");
  EXPECT_EQ(mask_webhook_url("https://[2001:db8::1]:9000/p"), "https://[2001:db8::1]:9000/…");
  EXPECT_EQ(mask_webhook_url("https://u:p@h.example/p"), "https://h.example/…");
}

TEST(WebhookTest, HostOfAUrl) {
  EXPECT_EQ(url_host("https://hooks.example.com:8443/x"), "hooks.example.com");
  EXPECT_EQ(url_host("http://[::1]:8080/x"), "::1");
  EXPECT_EQ(url_host("http://169.254.169.254/latest/meta-data"), "169.254.169.254");
  EXPECT_EQ(url_host("http://2130706433/"), "2130706433");
}

}  // namespace
}  // namespace phishdrill
