#include "phish/content_cache.h"

#include <gtest/gtest.h>

#include "phish/content_security.h"
#include "service/tracking_lookups.h"
#include "support/store_fixture.h"

namespace phishdrill::phish {
namespace {

class ContentCacheTest : public testing_support::StoreFixture {
 protected:
  std::int64_t add_page(const std::string& html, const std::string& source_url = {}) {
    LandingPage page;
    page.name = "Sign in";
    page.html = html;
    page.source_url = source_url;
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", 1000).id;
      id = repos.pages.create_page(ws_, page).value().id;
    });
    return id;
  }
  ContentCache::Loaders from_store() {
    return {[this](std::int64_t workspace_id, std::int64_t page_id) {
              return service::find_landing_page(*store_, workspace_id, page_id);
            },
            [this](std::int64_t variant_id) {
              return service::find_campaign_variant(*store_, variant_id);
            }};
  }
  std::int64_t ws_ = 0;
};

// Loaders that count their calls and answer what the test sets.
struct CountingLoaders {
  int page_loads = 0;
  int variant_loads = 0;
  Result<std::optional<LandingPage>> page_answer = std::optional<LandingPage>();
  Result<std::optional<CampaignVariant>> variant_answer = std::optional<CampaignVariant>();

  ContentCache::Loaders loaders() {
    return {[this](std::int64_t, std::int64_t) {
              ++page_loads;
              return page_answer;
            },
            [this](std::int64_t) {
              ++variant_loads;
              return variant_answer;
            }};
  }
};

LandingPage sample_page() {
  LandingPage page;
  page.id = 7;
  page.name = "Sign in";
  page.html = "<form><input name=user></form>";
  return page;
}

TEST(ContentCache, ReadsAPageOnceWhileFreshAndAgainAfterItsTtl) {
  CountingLoaders source;
  source.page_answer = std::optional<LandingPage>(sample_page());
  ContentCache cache(source.loaders(), nullptr, std::chrono::seconds(0));
  ASSERT_NE(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  ASSERT_NE(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  EXPECT_EQ(source.page_loads, 2);  // a zero ttl keeps nothing

  CountingLoaders cached;
  cached.page_answer = std::optional<LandingPage>(sample_page());
  ContentCache fresh(cached.loaders(), nullptr, std::chrono::seconds(60));
  const auto first = fresh.page(1, 7, "https://p/?rid=").value();
  const auto second = fresh.page(1, 7, "https://p/?rid=").value();
  EXPECT_EQ(cached.page_loads, 1);
  EXPECT_EQ(first, second);  // the same prepared page is shared
  ASSERT_NE(fresh.page(1, 7, "https://other/?rid=").value(), nullptr);
  EXPECT_EQ(cached.page_loads, 2);  // another action base is another entry
}

TEST(ContentCache, AnAnnouncedPageChangeLoadsThePageAgain) {
  CountingLoaders source;
  source.page_answer = std::optional<LandingPage>(sample_page());
  source.variant_answer = std::optional<CampaignVariant>(CampaignVariant{});
  ChangeGenerations changes;
  ContentCache cache(source.loaders(), &changes, std::chrono::seconds(60));
  ASSERT_NE(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  ASSERT_NE(cache.variant(3).value(), nullptr);
  changes.bump(ChangeTopic::kCampaigns);  // variants never change once launched
  ASSERT_NE(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  ASSERT_NE(cache.variant(3).value(), nullptr);
  EXPECT_EQ(source.page_loads, 1);
  EXPECT_EQ(source.variant_loads, 1);
  changes.bump(ChangeTopic::kLandingPages);  // edited on some node
  ASSERT_NE(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  EXPECT_EQ(source.page_loads, 2);
  ASSERT_NE(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  EXPECT_EQ(source.page_loads, 2);
}

TEST(ContentCache, AFailedReadIsPassedOnAndNotCached) {
  CountingLoaders source;
  source.page_answer = fail(ErrorCode::kInternal, "database is locked");
  source.variant_answer = fail(ErrorCode::kInternal, "database is locked");
  ContentCache cache(source.loaders(), nullptr, std::chrono::seconds(60));
  const auto page = cache.page(1, 7, "https://p/?rid=");
  ASSERT_FALSE(page.has_value());
  EXPECT_EQ(page.error().message, "database is locked");
  EXPECT_FALSE(cache.variant(3).has_value());

  source.page_answer = std::optional<LandingPage>(sample_page());
  source.variant_answer = std::optional<CampaignVariant>(CampaignVariant{});
  EXPECT_NE(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  EXPECT_NE(cache.variant(3).value(), nullptr);
  EXPECT_EQ(source.page_loads, 2);
  EXPECT_EQ(source.variant_loads, 2);
}

TEST(ContentCache, AMissingPageOrVariantIsNullNotAnError) {
  CountingLoaders source;
  ContentCache cache(source.loaders());
  EXPECT_EQ(cache.page(1, 7, "https://p/?rid=").value(), nullptr);
  EXPECT_EQ(cache.variant(3).value(), nullptr);
}

TEST_F(ContentCacheTest, RendersTheRidIntoEveryFormAndOneNoncedScript) {
  const auto id = add_page(
      "<html><head><title>t</title></head><body><form action=x><input type=password "
      "name=pw></form><button form=f formaction=y>b</button>\x01r\x01</body></html>",
      "https://login.example/");
  ContentCache cache(from_store());
  const auto page = cache.page(ws_, id, "https://p.example/?rid=").value();
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page->secret_inputs, (std::set<std::string>{"pw"}));

  const std::string plain = page->render("RID1");
  EXPECT_EQ(plain,
            "<html><head><base href=\"https://login.example/\"><title>t</title></head><body>"
            "<form action=\"https://p.example/?rid=RID1\" method=\"post\" "
            "enctype=\"application/x-www-form-urlencoded\"><input type=password name=pw></form>"
            "<button formaction=\"https://p.example/?rid=RID1\" formmethod=\"post\" "
            "formenctype=\"application/x-www-form-urlencoded\" form=\"f\">b</button>r</body>"
            "</html>");  // a U+0001 in the page is dropped, never taken for a marker

  const std::string with_script = page->render("RID2", "N0nce", "beacon('</script>')");
  EXPECT_NE(with_script.find("<base href=\"https://login.example/\"><script nonce=\"N0nce\">"
                             "beacon('<\\/script>')</script><title>"),
            std::string::npos)
      << with_script;
  EXPECT_NE(with_script.find("?rid=RID2\" method"), std::string::npos);
}

TEST(ContentSecurity, LandingPagesRunOnlyTheNoncedScriptUnlessScriptsAreAllowed) {
  const std::string off = landing_page_policy("abc", false);
  for (const char* part : {"default-src 'none'", "form-action 'self'", "connect-src 'self'",
                           "object-src 'none'", "frame-src 'none'", "script-src 'nonce-abc'",
                           "img-src * data: blob:", "frame-ancestors 'none'"}) {
    EXPECT_NE(off.find(part), std::string::npos) << part << " in " << off;
  }
  EXPECT_EQ(off.find("unsafe-inline'; script"), std::string::npos);
  const std::string on = landing_page_policy("abc", true);
  EXPECT_EQ(on.find("nonce"), std::string::npos) << on;  // a nonce would disable 'unsafe-inline'
  EXPECT_NE(on.find("script-src * data: blob: 'unsafe-inline'"), std::string::npos) << on;
  EXPECT_NE(on.find("form-action 'self'"), std::string::npos) << on;
  EXPECT_NE(on.find("connect-src 'self'"), std::string::npos) << on;
}

}  // namespace
}  // namespace phishdrill::phish
