// Groups and their targets (service/groups.h) and the all-or-nothing CSV
// import (service/import_targets.h) through the SQLite store: names are
// unique per workspace, another workspace's groups behave as unknown, every
// change is audited, and a file with a bad row saves nothing.
#include "service/groups.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "service/import_targets.h"
#include "support/workspace_fixture.h"

namespace phishdrill::service {
namespace {

TargetFields person(const std::string& email, const std::string& first = "") {
  TargetFields t;
  t.email = email;
  t.first_name = first;
  return t;
}

class GroupsTest : public testing_support::WorkspaceFixture {
 protected:
  Group make_group(const std::string& name, const std::vector<TargetFields>& targets = {}) {
    auto group = create_group(*store_, caller(), kNow, name, targets);
    EXPECT_TRUE(group.has_value()) << group.error().message;
    return group.value_or(Group{});
  }

  std::vector<std::string> member_emails(std::int64_t group_id) {
    auto members = list_group_targets(*store_, ws_, group_id, PageRequest{});
    EXPECT_TRUE(members.has_value());
    std::vector<std::string> emails;
    if (members) {
      for (const auto& t : members->items) emails.push_back(t.fields.email);
    }
    return emails;
  }

  // Whether Acme knows a target with this email (upserts it: call last).
  bool known_target(const std::string& email) {
    std::int64_t updated = 0;
    write([&](Repositories& repos) {
      updated = repos.groups.upsert_targets(ws_, {person(email)}, kNow).updated;
    });
    return updated == 1;
  }
};

TEST_F(GroupsTest, CreateWithTargetsSavesMembersAndAudits) {
  const Group group = make_group("Finance", {person("a@acme.example"), person("b@acme.example")});
  EXPECT_EQ(group.name, "Finance");
  EXPECT_EQ(group.target_count, 2);
  EXPECT_EQ(member_emails(group.id),
            (std::vector<std::string>{"a@acme.example", "b@acme.example"}));
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "group.create");
  EXPECT_EQ(log[0].resource_id, group.id);
  EXPECT_EQ(log[0].ip, "192.0.2.10");
  EXPECT_EQ(log[0].details_json, R"({"name":"Finance","targets":2})");
}

TEST_F(GroupsTest, DuplicateNameIsAConflictAndSavesNothing) {
  make_group("Finance");
  auto again = create_group(*store_, caller(), kNow, "Finance", std::vector{person("c@x.example")});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "name");
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"group.create"});
  EXPECT_FALSE(known_target("c@x.example"));
  // The same name in another workspace is fine.
  EXPECT_TRUE(create_group(*store_, caller(Role::kOperator, other_ws_), kNow, "Finance", {}));
}

TEST_F(GroupsTest, UnknownAndOtherWorkspaceGroupsAreNotFound) {
  const Group theirs = *create_group(*store_, caller(Role::kOperator, other_ws_), kNow, "Theirs",
                                     std::vector{person("x@globex.example")});
  for (const std::int64_t id : {theirs.id, theirs.id + 100}) {
    EXPECT_EQ(find_group(*store_, ws_, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(list_group_targets(*store_, ws_, id, {}).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(update_group(*store_, caller(), kNow, id, {"Mine", std::nullopt}).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(delete_group(*store_, caller(), kNow, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(
        add_group_targets(*store_, caller(), kNow, id, {person("y@acme.example")}).error().code,
        ErrorCode::kNotFound);
  }
  EXPECT_EQ(find_group(*store_, other_ws_, theirs.id)->name, "Theirs");
  EXPECT_TRUE(audit_actions().empty());
  EXPECT_FALSE(known_target("y@acme.example"));
}

TEST_F(GroupsTest, UpdateRenamesAndReplacesMembers) {
  const Group group = make_group("Finance", {person("a@acme.example")});
  auto kept = update_group(*store_, caller(), kNow + 5, group.id, {std::nullopt, std::nullopt});
  ASSERT_TRUE(kept.has_value()) << kept.error().message;
  EXPECT_EQ(kept->name, "Finance");
  auto updated = update_group(*store_, caller(), kNow + 10, group.id,
                              {"  Money  ", std::vector{person("b@acme.example")}});
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->name, "Money");
  EXPECT_EQ(updated->updated_at, kNow + 10);
  EXPECT_EQ(member_emails(group.id), std::vector<std::string>{"b@acme.example"});
  EXPECT_EQ(audit_log().back().details_json, R"({"name":"Money","targets":1})");
}

TEST_F(GroupsTest, UpdateRefusesABadOrTakenName) {
  const Group group = make_group("Finance");
  make_group("Sales");
  auto empty = update_group(*store_, caller(), kNow, group.id, {" ", std::nullopt});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kValidation);
  EXPECT_EQ(empty.error().field, "name");
  auto taken = update_group(*store_, caller(), kNow, group.id,
                            {"Sales", std::vector{person("z@x.example")}});
  ASSERT_FALSE(taken.has_value());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  EXPECT_EQ(find_group(*store_, ws_, group.id)->name, "Finance");
  EXPECT_FALSE(known_target("z@x.example"));
}

TEST_F(GroupsTest, AddAndRemoveMembers) {
  const Group group = make_group("Finance", {person("a@acme.example")});
  auto added = add_group_targets(*store_, caller(), kNow + 10, group.id,
                                 {person("a@acme.example", "Ann"), person("b@acme.example")});
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(added->target_count, 2);
  EXPECT_EQ(added->updated_at, kNow + 10);
  auto members = list_group_targets(*store_, ws_, group.id, {});
  ASSERT_TRUE(members.has_value());
  ASSERT_EQ(members->items.size(), 2u);
  EXPECT_EQ(members->items[0].fields.first_name, "Ann");  // the known target was updated
  const std::int64_t removed_id = members->items[1].id;
  ASSERT_TRUE(remove_group_target(*store_, caller(), kNow + 20, group.id, removed_id));
  EXPECT_EQ(member_emails(group.id), std::vector<std::string>{"a@acme.example"});
  EXPECT_EQ(remove_group_target(*store_, caller(), kNow, group.id, removed_id).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(audit_actions(),
            (std::vector<std::string>{"group.create", "group.add_targets", "group.remove_target"}));
  EXPECT_EQ(audit_log().back().details_json, R"({"target_id":)" + std::to_string(removed_id) + "}");
}

TEST_F(GroupsTest, DeleteRemovesTheGroupAndAuditsItsName) {
  const Group group = make_group("Finance");
  ASSERT_TRUE(delete_group(*store_, caller(), kNow, group.id));
  EXPECT_EQ(find_group(*store_, ws_, group.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit_log().back().action, "group.delete");
  EXPECT_EQ(audit_log().back().details_json, R"({"name":"Finance"})");
}

TEST_F(GroupsTest, ListIsScopedToTheWorkspace) {
  make_group("Finance");
  make_group("Sales");
  ASSERT_TRUE(create_group(*store_, caller(Role::kOperator, other_ws_), kNow, "Theirs", {}));
  auto page = list_groups(*store_, ws_, PageRequest{0, 1});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "Finance");
  ASSERT_TRUE(page->next_after.has_value());
  auto rest = list_groups(*store_, ws_, PageRequest{*page->next_after, 50});
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].name, "Sales");
}

TEST_F(GroupsTest, ImportIntoANewGroup) {
  make_group("Old", {person("known@acme.example")});
  auto outcome = import_targets_csv(*store_, caller(), kNow, {"Imported", 0},
                                    "Email,First Name\nknown@acme.example,Kim\nnew@acme.example,"
                                    "Nia\n");
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->group.name, "Imported");
  EXPECT_EQ(outcome->group.target_count, 2);
  EXPECT_EQ(outcome->imported, 2);
  EXPECT_EQ(outcome->created, 1);
  EXPECT_EQ(outcome->updated, 1);
  EXPECT_EQ(audit_log().back().action, "group.import");
  EXPECT_EQ(audit_log().back().details_json, R"({"rows":2,"created":1,"updated":1,"warnings":0})");
}

TEST_F(GroupsTest, ImportIntoAnExistingGroupAddsMembers) {
  const Group group = make_group("Finance", {person("a@acme.example")});
  auto outcome =
      import_targets_csv(*store_, caller(), kNow + 10, {"", group.id}, "email\nb@acme.example\n");
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->group.id, group.id);
  EXPECT_EQ(outcome->group.target_count, 2);
  EXPECT_EQ(outcome->group.updated_at, kNow + 10);
}

TEST_F(GroupsTest, ImportWithABadRowSavesNothing) {
  auto outcome = import_targets_csv(*store_, caller(), kNow, {"Imported", 0},
                                    "email\ngood@acme.example\nnot-an-address\n");
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, ErrorCode::kInvalidCsv);
  ASSERT_EQ(outcome.error().rows.size(), 1u);
  EXPECT_EQ(outcome.error().rows[0].line, 3u);
  EXPECT_EQ(outcome.error().rows[0].field, "email");
  auto groups = list_groups(*store_, ws_, {});
  EXPECT_TRUE(groups->items.empty());
  EXPECT_TRUE(audit_actions().empty());
  EXPECT_FALSE(known_target("good@acme.example"));
}

TEST_F(GroupsTest, ImportRefusedByTheStoreSavesNothing) {
  make_group("Finance");
  auto taken =
      import_targets_csv(*store_, caller(), kNow, {"Finance", 0}, "email\na@acme.example\n");
  ASSERT_FALSE(taken.has_value());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  const Group theirs = *create_group(*store_, caller(Role::kOperator, other_ws_), kNow, "T", {});
  auto other =
      import_targets_csv(*store_, caller(), kNow, {"", theirs.id}, "email\na@acme.example\n");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit_actions(), std::vector<std::string>{"group.create"});
  EXPECT_FALSE(known_target("a@acme.example"));
}

}  // namespace
}  // namespace phishdrill::service
