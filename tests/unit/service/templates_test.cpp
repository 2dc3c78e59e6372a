// Templates: the caller's template library — list, get, create, update,
// delete — dated by the clock, audited, and never another workspace's.
#include "service/templates.h"

#include <gtest/gtest.h>

#include "service/campaign_fixture.h"

namespace phishdrill::service {
namespace {

using testing_support::kStart;

class TemplatesTest : public testing_support::CampaignServiceFixture {
 protected:
  static EmailTemplate named(const std::string& name) {
    EmailTemplate t;
    t.name = name;
    t.subject = "Invoice";
    t.text = "Pay {{.URL}}";
    return t;
  }

  Templates library() { return Templates(*store_, clock_); }
};

TEST_F(TemplatesTest, CreateDatesAndAuditsAndGetReadsItBack) {
  clock_.advance(5);
  auto created = library().create(caller_, named("Invoice"));
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_GT(created->id, template_id_);
  EXPECT_EQ(created->created_at, kStart + 5);
  EXPECT_EQ(created->updated_at, kStart + 5);
  auto found = library().get(caller_, created->id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->subject, "Invoice");
  const auto log = audit_log();
  EXPECT_EQ(log.front().action, "template.create");
  EXPECT_EQ(log.front().resource_type, "template");
  EXPECT_EQ(log.front().resource_id, created->id);
  EXPECT_EQ(log.front().details_json, R"({"name":"Invoice"})");

  auto duplicate = library().create(caller_, named("Invoice"));
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_EQ(duplicate.error().field, "name");
}

TEST_F(TemplatesTest, ListPagesThroughTheCallersTemplatesOnly) {
  ASSERT_TRUE(library().create(caller_, named("Second")).has_value());
  auto first = library().list(caller_, PageRequest{0, 1});
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->items.size(), 1u);
  ASSERT_TRUE(first->next_after.has_value());
  auto rest = library().list(caller_, PageRequest{*first->next_after, 10});
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->items.size(), 1u);
  caller_.workspace_id = other_ws_;
  EXPECT_TRUE(library().list(caller_, PageRequest{})->items.empty());
  EXPECT_EQ(library().get(caller_, template_id_).error().code, ErrorCode::kNotFound);
}

TEST_F(TemplatesTest, UpdateKeepsIdAndCreationDate) {
  clock_.advance(60);
  auto changed = named("Payroll v2");
  changed.created_at = 1;  // ignored
  auto updated = library().update(caller_, template_id_, changed);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->id, template_id_);
  EXPECT_EQ(updated->created_at, kStart);
  EXPECT_EQ(updated->updated_at, kStart + 60);
  EXPECT_EQ(library().get(caller_, template_id_)->name, "Payroll v2");
  EXPECT_EQ(audit_log().front().action, "template.update");
  EXPECT_EQ(audit_log().front().details_json, R"({"name":"Payroll v2"})");

  EXPECT_EQ(library().update(caller_, template_id_ + 100, changed).error().code,
            ErrorCode::kNotFound);
  caller_.workspace_id = other_ws_;
  EXPECT_EQ(library().update(caller_, template_id_, named("Theirs")).error().code,
            ErrorCode::kNotFound);
  caller_.workspace_id = ws_;
  EXPECT_EQ(library().get(caller_, template_id_)->name, "Payroll v2");
}

TEST_F(TemplatesTest, DeleteRemovesOnlyTheCallersTemplate) {
  auto other = caller_;
  other.workspace_id = other_ws_;
  EXPECT_EQ(library().remove(other, template_id_).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(library().get(caller_, template_id_).has_value());
  EXPECT_TRUE(audit_log().empty());

  ASSERT_TRUE(library().remove(caller_, template_id_).has_value());
  EXPECT_EQ(library().get(caller_, template_id_).error().code, ErrorCode::kNotFound);
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "template.delete");
  EXPECT_EQ(log[0].details_json, "{}");
  EXPECT_EQ(library().remove(caller_, template_id_).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace phishdrill::service
