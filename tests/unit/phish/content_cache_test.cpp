#include "phish/content_cache.h"

#include <gtest/gtest.h>

#include "phish/content_security.h"
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
      id = repos.templates.create_page(ws_, page).value().id;
    });
    return id;
  }
  std::int64_t ws_ = 0;
};

TEST_F(ContentCacheTest, RendersTheRidIntoEveryFormAndOneNoncedScript) {
  const auto id = add_page(
      "<html><head><title>t</title></head><body><form action=x><input type=password "
      "name=pw></form><button form=f formaction=y>b</button>\x01r\x01</body></html>",
      "https://login.example/");
  ContentCache cache(*store_);
  const auto page = cache.page(ws_, id, "https://p.example/?rid=");
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
