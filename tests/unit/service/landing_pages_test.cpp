// Landing pages (service/landing_pages.h) through the SQLite store: only an
// admin lets a page's own scripts run, an operator keeps that decision only
// for the HTML the admin saw, changes are audited, and another workspace's
// pages behave as unknown.
#include "service/landing_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "support/workspace_fixture.h"

namespace phishdrill::service {
namespace {

LandingPage landing(const std::string& html = "<form><input name=user></form>",
                    bool allow_scripts = false) {
  LandingPage page;
  page.name = "Sign-in";
  page.html = html;
  page.allow_scripts = allow_scripts;
  return page;
}

class LandingPagesTest : public testing_support::WorkspaceFixture {
 protected:
  LandingPage make_page(const LandingPage& page, Role role = Role::kAdmin) {
    auto created = create_page(*store_, caller(role), kNow, page);
    EXPECT_TRUE(created.has_value()) << created.error().message;
    return created.value_or(LandingPage{});
  }
};

TEST_F(LandingPagesTest, CreateSavesAndAudits) {
  const LandingPage created = make_page(landing(), Role::kOperator);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.created_at, kNow);
  const auto found = find_page(*store_, ws_, created.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->html, "<form><input name=user></form>");
  EXPECT_EQ(list_pages(*store_, ws_, {})->items.size(), 1u);
  ASSERT_EQ(audit_log().size(), 1u);
  EXPECT_EQ(audit_log()[0].action, "page.create");
  EXPECT_EQ(audit_log()[0].details_json, R"({"name":"Sign-in"})");
}

TEST_F(LandingPagesTest, CreateValidatesThePage) {
  LandingPage bad = landing();
  bad.redirect_url = "javascript:alert(1)";
  auto refused = create_page(*store_, caller(), kNow, bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_EQ(refused.error().field, "redirect_url");
  EXPECT_TRUE(list_pages(*store_, ws_, {})->items.empty());
}

TEST_F(LandingPagesTest, OnlyAnAdminMayAllowScripts) {
  auto refused = create_page(*store_, caller(Role::kOperator), kNow, landing("<p>x</p>", true));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(refused.error().field, "allow_scripts");
  EXPECT_TRUE(list_pages(*store_, ws_, {})->items.empty());
  const LandingPage created = make_page(landing("<p>x</p>", true), Role::kAdmin);
  EXPECT_TRUE(created.allow_scripts);
  EXPECT_EQ(audit_log().back().details_json,
            R"({"name":"Sign-in","allow_scripts":true,"allow_scripts_before":false})");
}

TEST_F(LandingPagesTest, AnOperatorMayNotTurnScriptsOn) {
  const LandingPage created = make_page(landing());
  auto refused =
      update_page(*store_, caller(Role::kOperator), kNow, created.id, landing("<p>x</p>", true));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_FALSE(find_page(*store_, ws_, created.id)->allow_scripts);
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"page.create"});
}

TEST_F(LandingPagesTest, AnOperatorKeepsScriptsOnlyForTheSameHtml) {
  const LandingPage created = make_page(landing("<p>x</p>", true));
  LandingPage renamed = landing("<p>x</p>", true);
  renamed.name = "Renamed";
  auto kept = update_page(*store_, caller(Role::kOperator), kNow + 10, created.id, renamed);
  ASSERT_TRUE(kept.has_value()) << kept.error().message;
  EXPECT_TRUE(kept->allow_scripts);
  EXPECT_EQ(kept->created_at, kNow);
  EXPECT_EQ(kept->updated_at, kNow + 10);
  auto edited = update_page(*store_, caller(Role::kOperator), kNow + 20, created.id,
                            landing("<p>y</p>", true));
  ASSERT_TRUE(edited.has_value()) << edited.error().message;
  EXPECT_FALSE(edited->allow_scripts);
  EXPECT_FALSE(find_page(*store_, ws_, created.id)->allow_scripts);
  EXPECT_EQ(audit_log().back().details_json,
            R"({"name":"Sign-in","allow_scripts":false,"allow_scripts_before":true})");
}

TEST_F(LandingPagesTest, DuplicateNameIsAConflict) {
  make_page(landing());
  auto again = create_page(*store_, caller(), kNow, landing());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "name");
}

TEST_F(LandingPagesTest, UnknownAndOtherWorkspacePagesAreNotFound) {
  auto theirs = create_page(*store_, caller(Role::kAdmin, other_ws_), kNow, landing());
  ASSERT_TRUE(theirs.has_value());
  for (const std::int64_t id : {theirs->id, theirs->id + 100}) {
    EXPECT_EQ(find_page(*store_, ws_, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(update_page(*store_, caller(), kNow, id, landing()).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(delete_page(*store_, caller(), kNow, id).error().code, ErrorCode::kNotFound);
  }
  EXPECT_TRUE(audit_actions().empty());
  EXPECT_EQ(find_page(*store_, other_ws_, theirs->id)->name, "Sign-in");
}

TEST_F(LandingPagesTest, DeleteIsAudited) {
  const LandingPage created = make_page(landing());
  ASSERT_TRUE(delete_page(*store_, caller(), kNow, created.id));
  EXPECT_EQ(find_page(*store_, ws_, created.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit_log().back().action, "page.delete");
}

}  // namespace
}  // namespace phishdrill::service
