// import_template: an .eml becomes an unsaved draft, or a saved template
// when it is given a name; unreadable messages and bad names are refused.
#include "service/import_template.h"

#include <gtest/gtest.h>

#include "mail/eml_import.h"
#include "service/campaign_fixture.h"

namespace phishdrill::service {
namespace {

constexpr const char* kMessage =
    "From: IT Desk <it@corp.example>\r\n"
    "Subject: Password expiry\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Renew <a href=\"https://evil.example/x\">here</a></p>"
    "<script>alert(1)</script>\r\n";

class ImportTemplateTest : public testing_support::CampaignServiceFixture {
 protected:
  void SetUp() override {
    CampaignServiceFixture::SetUp();
    gmime_init();
  }

  Result<ImportedTemplate> import(EmlImport request) {
    Templates library(*store_, clock_);
    return import_template(library, caller_, request);
  }

  std::int64_t template_count() {
    std::int64_t n = 0;
    read([&](Repositories& repos) {
      n = static_cast<std::int64_t>(
          repos.templates.list_templates(ws_, PageRequest{0, 100}).items.size());
    });
    return n;
  }
};

TEST_F(ImportTemplateTest, WithoutANameTheDraftIsReturnedAndNothingSaved) {
  auto imported = import({kMessage, true, std::nullopt});
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_FALSE(imported->saved);
  EXPECT_EQ(imported->tmpl.id, 0);
  EXPECT_EQ(imported->tmpl.subject, "Password expiry");
  EXPECT_EQ(imported->tmpl.from, "IT Desk <it@corp.example>");
  EXPECT_NE(imported->tmpl.html.find("href=\"{{.URL}}\""), std::string::npos);
  EXPECT_EQ(imported->tmpl.html.find("<script"), std::string::npos);
  EXPECT_FALSE(imported->removed.empty());
  EXPECT_EQ(template_count(), 1);
  EXPECT_TRUE(audit_log().empty());
}

TEST_F(ImportTemplateTest, LinksAreKeptUnlessConverted) {
  auto imported = import({kMessage, false, std::nullopt});
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_NE(imported->tmpl.html.find("https://evil.example/x"), std::string::npos);
}

TEST_F(ImportTemplateTest, WithANameItIsSavedAndAudited) {
  auto imported = import({kMessage, true, "Expiry"});
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_TRUE(imported->saved);
  EXPECT_GT(imported->tmpl.id, 0);
  EXPECT_EQ(imported->tmpl.name, "Expiry");
  EXPECT_EQ(imported->tmpl.created_at, testing_support::kStart);
  EXPECT_FALSE(imported->removed.empty());
  EXPECT_EQ(template_count(), 2);
  EXPECT_EQ(audit_log().front().action, "template.create");
  EXPECT_EQ(audit_log().front().details_json, R"({"name":"Expiry"})");
}

TEST_F(ImportTemplateTest, AnUnreadableMessageIsRefusedOnContent) {
  for (const char* content : {"", "not a message at all"}) {
    auto imported = import({content, true, "X"});
    ASSERT_FALSE(imported.has_value()) << content;
    EXPECT_EQ(imported.error().code, ErrorCode::kValidation);
    EXPECT_EQ(imported.error().field, "content");
  }
  EXPECT_EQ(template_count(), 1);
}

TEST_F(ImportTemplateTest, AnEmptyOrTakenNameIsRefusedAndNothingSaved) {
  auto empty = import({kMessage, true, ""});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kValidation);
  EXPECT_EQ(empty.error().field, "name");
  auto taken = import({kMessage, true, "Payroll"});
  ASSERT_FALSE(taken.has_value());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  EXPECT_EQ(template_count(), 1);
  EXPECT_TRUE(audit_log().empty());
}

}  // namespace
}  // namespace phishdrill::service
