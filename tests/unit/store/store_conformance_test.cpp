// The store conformance suite: what every backend's repositories promise,
// run once per backend in testing_support::store_backends().
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "store_test_fixture.h"

namespace phishdrill {
namespace {

using testing_support::sample_webhook;
using testing_support::StoreTest;

TEST_P(StoreTest, MigrateIsIdempotent) {
  auto again = store_->migrate();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0);
}

TEST_P(StoreTest, MigrationsPersistAcrossReopen) {
  ASSERT_TRUE(reopen(key_));
  auto migrated = store_->migrate();
  ASSERT_TRUE(migrated.has_value());
  EXPECT_EQ(*migrated, 0);
  read([&](Repositories& repos) {
    auto ws = repos.accounts.find_workspace(ws_);
    ASSERT_TRUE(ws.has_value());
    EXPECT_EQ(ws->name, "Acme");
  });
}

TEST_P(StoreTest, WorkspacesByIdAndName) {
  read([&](Repositories& repos) {
    auto by_name = repos.accounts.find_workspace_by_name("Globex");
    ASSERT_TRUE(by_name.has_value());
    EXPECT_EQ(by_name->id, other_ws_);
    EXPECT_FALSE(repos.accounts.find_workspace_by_name("globex").has_value());
    EXPECT_FALSE(repos.accounts.find_workspace(9999).has_value());
  });
}

TEST_P(StoreTest, CreateAndFindUser) {
  const auto user = make_user(ws_, "alice@example.com", Role::kOperator);
  EXPECT_GT(user.id, 0);
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.accounts.count_users(), 1);
    auto found = repos.accounts.find_user(ws_, user.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->email, "alice@example.com");
    EXPECT_EQ(found->role, Role::kOperator);
    EXPECT_EQ(found->created_at, 1000);
    EXPECT_FALSE(repos.accounts.find_user(other_ws_, user.id).has_value());

    auto credentials = repos.accounts.find_credentials("alice@example.com");
    ASSERT_TRUE(credentials.has_value());
    EXPECT_EQ(credentials->password_hash, "$argon2id$fake");
    EXPECT_EQ(credentials->failed_logins, 0);
    EXPECT_EQ(credentials->locked_until, 0);
    EXPECT_EQ(credentials->user.id, user.id);
    EXPECT_FALSE(repos.accounts.find_credentials("nobody@example.com").has_value());
  });
}

TEST_P(StoreTest, DuplicateEmailIsConflictOnEmailEvenAcrossWorkspaces) {
  make_user(ws_, "dup@example.com");
  auto result = store_->write([&](Repositories& repos) -> Result<void> {
    User user;
    user.workspace_id = other_ws_;
    user.email = "dup@example.com";
    auto created = repos.accounts.create_user(user, "h");
    if (!created) return std::unexpected(created.error());
    return {};
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
  EXPECT_EQ(result.error().field, "email");
  read([&](Repositories& repos) { EXPECT_EQ(repos.accounts.count_users(), 1); });
}

TEST_P(StoreTest, UpdateUserPasswordAndLoginFailures) {
  auto user = make_user(ws_, "bob@example.com", Role::kViewer);
  write([&](Repositories& repos) {
    user.name = "Robert";
    user.role = Role::kAdmin;
    user.must_change_password = true;
    repos.accounts.update_user(user);
    repos.sign_ins.set_login_failures(user.id, 3, 5000);
  });
  read([&](Repositories& repos) {
    auto c = repos.accounts.find_credentials("bob@example.com");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->user.name, "Robert");
    EXPECT_EQ(c->user.role, Role::kAdmin);
    EXPECT_TRUE(c->user.must_change_password);
    EXPECT_EQ(c->failed_logins, 3);
    EXPECT_EQ(c->locked_until, 5000);
  });
  write([&](Repositories& repos) { repos.accounts.set_password(user.id, "new-hash", false); });
  read([&](Repositories& repos) {
    auto c = repos.accounts.find_credentials("bob@example.com");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->password_hash, "new-hash");
    EXPECT_FALSE(c->user.must_change_password);
    EXPECT_EQ(c->failed_logins, 0);  // a new password clears a lockout
    EXPECT_EQ(c->locked_until, 0);
  });
}

TEST_P(StoreTest, ListUsersPagesAndIsWorkspaceScoped) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(make_user(ws_, "u" + std::to_string(i) + "@x.com").id);
  make_user(other_ws_, "other@x.com");
  read([&](Repositories& repos) {
    auto first = repos.accounts.list_users(ws_, {0, 2});
    ASSERT_EQ(first.items.size(), 2u);
    EXPECT_EQ(first.items[0].id, ids[0]);
    ASSERT_TRUE(first.next_after.has_value());
    EXPECT_EQ(*first.next_after, ids[1]);
    auto rest = repos.accounts.list_users(ws_, {*first.next_after, 10});
    ASSERT_EQ(rest.items.size(), 3u);
    EXPECT_EQ(rest.items.back().id, ids[4]);
    EXPECT_FALSE(rest.next_after.has_value());
    auto exact = repos.accounts.list_users(ws_, {0, 5});
    EXPECT_EQ(exact.items.size(), 5u);
    EXPECT_FALSE(exact.next_after.has_value());
  });
}

TEST_P(StoreTest, DeleteUserIsWorkspaceScopedAndCascadesSessionsAndKeys) {
  const auto user = make_user(ws_, "gone@example.com");
  write([&](Repositories& repos) {
    repos.sessions.create_session("session-hash", user, 1000);
    ApiKey key;
    key.workspace_id = ws_;
    key.user_id = user.id;
    key.name = "ci";
    repos.sessions.create_api_key(key, "key-hash");
    EXPECT_FALSE(repos.accounts.delete_user(other_ws_, user.id));
    EXPECT_TRUE(repos.accounts.delete_user(ws_, user.id));
    EXPECT_FALSE(repos.accounts.delete_user(ws_, user.id));
  });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.sessions.find_session("session-hash").has_value());
    EXPECT_FALSE(repos.sessions.find_api_key("key-hash").has_value());
  });
}

TEST_P(StoreTest, SessionsLifecycle) {
  const auto user = make_user(ws_, "s@example.com");
  write([&](Repositories& repos) {
    repos.sessions.create_session("h1", user, 1000);
    repos.sessions.create_session("h2", user, 2000);
  });
  read([&](Repositories& repos) {
    auto s = repos.sessions.find_session("h1");
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->user_id, user.id);
    EXPECT_EQ(s->workspace_id, ws_);
    EXPECT_EQ(s->created_at, 1000);
    EXPECT_EQ(s->last_seen_at, 1000);
    EXPECT_FALSE(repos.sessions.find_session("unknown").has_value());
  });
  write([&](Repositories& repos) { repos.sessions.touch_session("h1", 1500); });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.sessions.find_session("h1")->last_seen_at, 1500);
    EXPECT_EQ(repos.sessions.find_session("h1")->created_at, 1000);
  });
  write([&](Repositories& repos) { repos.sessions.delete_expired_sessions(1600, 0); });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.sessions.find_session("h1").has_value());
    EXPECT_TRUE(repos.sessions.find_session("h2").has_value());
  });
  write([&](Repositories& repos) { repos.sessions.delete_session("h2"); });
  read([&](Repositories& repos) { EXPECT_FALSE(repos.sessions.find_session("h2").has_value()); });
}

TEST_P(StoreTest, SessionsPastTheirAbsoluteLifetimeAreSwept) {
  const auto user = make_user(ws_, "old@example.com");
  write([&](Repositories& repos) {
    repos.sessions.create_session("old", user, 1000);
    repos.sessions.create_session("new", user, 3000);
    repos.sessions.touch_session("old", 3500);  // active, but signed in long ago
    repos.sessions.delete_expired_sessions(0, 2000);
  });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.sessions.find_session("old").has_value());
    EXPECT_TRUE(repos.sessions.find_session("new").has_value());
  });
}

TEST_P(StoreTest, RevokesEveryApiKeyOfOneUser) {
  const auto a = make_user(ws_, "keys-a@example.com");
  const auto b = make_user(ws_, "keys-b@example.com");
  write([&](Repositories& repos) {
    int n = 0;
    for (const auto* user : {&a, &a, &b}) {
      ApiKey key;
      key.workspace_id = ws_;
      key.user_id = user->id;
      key.name = "k";
      repos.sessions.create_api_key(key, "hash-" + std::to_string(++n));
    }
    EXPECT_EQ(repos.sessions.delete_api_keys_of(a.id), 2);
    EXPECT_EQ(repos.sessions.delete_api_keys_of(a.id), 0);
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.sessions.list_api_keys(ws_, {0, 10}).items.size(), 1u);
  });
}

TEST_P(StoreTest, RemembersTheTwentyMostRecentSignInAddresses) {
  const auto user = make_user(ws_, "roams@example.com");
  write([&](Repositories& repos) {
    for (int i = 0; i < 25; ++i) {
      repos.sign_ins.remember_sign_in(user.id, "10.0.0." + std::to_string(i), 1000 + i);
    }
    repos.sign_ins.remember_sign_in(user.id, "10.0.0.0", 2000);  // seen again
  });
  read([&](Repositories& repos) {
    EXPECT_TRUE(repos.sign_ins.has_signed_in_from(user.id, "10.0.0.0"));
    EXPECT_TRUE(repos.sign_ins.has_signed_in_from(user.id, "10.0.0.24"));
    EXPECT_TRUE(repos.sign_ins.has_signed_in_from(user.id, "10.0.0.6"));
    EXPECT_FALSE(repos.sign_ins.has_signed_in_from(user.id, "10.0.0.5"));
    EXPECT_FALSE(repos.sign_ins.has_signed_in_from(user.id, "10.0.0.1"));
  });
  write([&](Repositories& repos) { repos.sign_ins.forget_sign_ins(user.id); });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.sign_ins.has_signed_in_from(user.id, "10.0.0.0"));
  });
}

TEST_P(StoreTest, DeleteSessionsOfOneUserOnly) {
  const auto a = make_user(ws_, "a@example.com");
  const auto b = make_user(ws_, "b@example.com");
  write([&](Repositories& repos) {
    repos.sessions.create_session("a1", a, 1);
    repos.sessions.create_session("a2", a, 1);
    repos.sessions.create_session("b1", b, 1);
    repos.sessions.delete_sessions_of(a.id);
  });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.sessions.find_session("a1").has_value());
    EXPECT_FALSE(repos.sessions.find_session("a2").has_value());
    EXPECT_TRUE(repos.sessions.find_session("b1").has_value());
  });
}

TEST_P(StoreTest, ApiKeysByHash) {
  const auto user = make_user(ws_, "k@example.com");
  ApiKey created;
  write([&](Repositories& repos) {
    ApiKey key;
    key.workspace_id = ws_;
    key.user_id = user.id;
    key.name = "deploy";
    key.role = Role::kOperator;
    key.prefix = "pd_abcdefg";
    key.created_at = 1234;
    created = repos.sessions.create_api_key(key, crypto::hash_token("pd_secret"));
  });
  EXPECT_GT(created.id, 0);
  read([&](Repositories& repos) {
    auto found = repos.sessions.find_api_key(crypto::hash_token("pd_secret"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, created.id);
    EXPECT_EQ(found->name, "deploy");
    EXPECT_EQ(found->role, Role::kOperator);
    EXPECT_EQ(found->prefix, "pd_abcdefg");
    EXPECT_EQ(found->user_id, user.id);
    EXPECT_EQ(found->last_used_at, 0);
    EXPECT_FALSE(repos.sessions.find_api_key(crypto::hash_token("pd_other")).has_value());
    EXPECT_FALSE(repos.sessions.find_api_key("pd_secret").has_value());
  });
  write([&](Repositories& repos) { repos.sessions.touch_api_key(created.id, 9999); });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.sessions.find_api_key(crypto::hash_token("pd_secret"))->last_used_at, 9999);
    EXPECT_EQ(repos.sessions.list_api_keys(ws_, {}).items.size(), 1u);
    EXPECT_TRUE(repos.sessions.list_api_keys(other_ws_, {}).items.empty());
  });
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.sessions.delete_api_key(other_ws_, created.id));
    EXPECT_TRUE(repos.sessions.delete_api_key(ws_, created.id));
  });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.sessions.find_api_key(crypto::hash_token("pd_secret")).has_value());
  });
}

TEST_P(StoreTest, AuditIsNewestFirstWithPaging) {
  write([&](Repositories& repos) {
    for (int i = 1; i <= 5; ++i) {
      AuditEntry entry;
      entry.workspace_id = ws_;
      entry.at = 1000 + i;
      entry.actor = Actor{"user", 7, "alice@example.com"};
      entry.action = "group.create";
      entry.resource_type = "group";
      entry.resource_id = i;
      entry.ip = "10.0.0.1";
      entry.details_json = R"({"n":)" + std::to_string(i) + "}";
      repos.audit.append(entry);
    }
    AuditEntry foreign;
    foreign.workspace_id = other_ws_;
    foreign.action = "other";
    repos.audit.append(foreign);
  });
  read([&](Repositories& repos) {
    auto first = repos.audit.list(ws_, {0, 2});
    ASSERT_EQ(first.items.size(), 2u);
    EXPECT_EQ(first.items[0].resource_id, 5);
    EXPECT_EQ(first.items[1].resource_id, 4);
    EXPECT_EQ(first.items[0].actor.label, "alice@example.com");
    EXPECT_EQ(first.items[0].actor.kind, "user");
    EXPECT_EQ(first.items[0].actor.id, 7);
    EXPECT_EQ(first.items[0].ip, "10.0.0.1");
    EXPECT_EQ(first.items[0].details_json, R"({"n":5})");
    EXPECT_EQ(first.items[0].at, 1005);
    ASSERT_TRUE(first.next_after.has_value());
    EXPECT_EQ(*first.next_after, first.items[1].id);

    auto second = repos.audit.list(ws_, {*first.next_after, 2});
    ASSERT_EQ(second.items.size(), 2u);
    EXPECT_EQ(second.items[0].resource_id, 3);
    EXPECT_EQ(second.items[1].resource_id, 2);
    ASSERT_TRUE(second.next_after.has_value());

    auto last = repos.audit.list(ws_, {*second.next_after, 2});
    ASSERT_EQ(last.items.size(), 1u);
    EXPECT_EQ(last.items[0].resource_id, 1);
    EXPECT_FALSE(last.next_after.has_value());

    auto other = repos.audit.list(other_ws_, {});
    ASSERT_EQ(other.items.size(), 1u);
    EXPECT_EQ(other.items[0].action, "other");
  });
}

TEST_P(StoreTest, GroupsCreateFindListRenameConflict) {
  Group group;
  write([&](Repositories& repos) {
    auto created = repos.groups.create_group(ws_, "Finance", 2000);
    ASSERT_TRUE(created.has_value());
    group = *created;
    // Same name in another workspace is fine.
    EXPECT_TRUE(repos.groups.create_group(other_ws_, "Finance", 2000).has_value());
  });
  EXPECT_EQ(group.name, "Finance");
  EXPECT_EQ(group.target_count, 0);
  EXPECT_EQ(group.created_at, 2000);

  auto dup = store_->write([&](Repositories& repos) -> Result<void> {
    auto created = repos.groups.create_group(ws_, "Finance", 2001);
    if (!created) return std::unexpected(created.error());
    return {};
  });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().field, "name");

  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.groups.create_group(ws_, "Sales", 2002).has_value());
    auto clash = repos.groups.rename_group(ws_, group.id, "Sales", 2003);
    ASSERT_FALSE(clash.has_value());
    EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
    EXPECT_EQ(clash.error().field, "name");
    ASSERT_TRUE(repos.groups.rename_group(ws_, group.id, "Accounting", 2004).has_value());
  });
  read([&](Repositories& repos) {
    auto found = repos.groups.find_group(ws_, group.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "Accounting");
    EXPECT_EQ(found->updated_at, 2004);
    EXPECT_EQ(found->created_at, 2000);
    EXPECT_FALSE(repos.groups.find_group(other_ws_, group.id).has_value());
    EXPECT_EQ(repos.groups.list_groups(ws_, {}).items.size(), 2u);
    EXPECT_EQ(repos.groups.list_groups(other_ws_, {}).items.size(), 1u);
  });
}

TEST_P(StoreTest, RenameInAnotherWorkspaceChangesNothing) {
  std::int64_t id = 0;
  write([&](Repositories& repos) { id = repos.groups.create_group(ws_, "Mine", 1).value().id; });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.groups.rename_group(other_ws_, id, "Stolen", 2).has_value());
  });
  read([&](Repositories& repos) { EXPECT_EQ(repos.groups.find_group(ws_, id)->name, "Mine"); });
}

TEST_P(StoreTest, UpsertTargetsCountsCreatedAndUpdated) {
  UpsertStats first;
  write([&](Repositories& repos) {
    first = repos.groups.upsert_targets(ws_, {target("a@x.com"), target("b@x.com")}, 100);
  });
  EXPECT_EQ(first.created, 2);
  EXPECT_EQ(first.updated, 0);
  ASSERT_EQ(first.target_ids.size(), 2u);

  UpsertStats second;
  write([&](Repositories& repos) {
    second = repos.groups.upsert_targets(
        ws_, {target("c@x.com"), target("a@x.com", "Alice"), target("b@x.com", "Bea")}, 200);
  });
  EXPECT_EQ(second.created, 1);
  EXPECT_EQ(second.updated, 2);
  ASSERT_EQ(second.target_ids.size(), 3u);
  EXPECT_EQ(second.target_ids[1], first.target_ids[0]);  // input order
  EXPECT_EQ(second.target_ids[2], first.target_ids[1]);

  // Targets are per workspace: the same email elsewhere is a new target.
  UpsertStats other;
  write([&](Repositories& repos) {
    other = repos.groups.upsert_targets(other_ws_, {target("a@x.com")}, 300);
  });
  EXPECT_EQ(other.created, 1);
  EXPECT_NE(other.target_ids[0], first.target_ids[0]);

  write([&](Repositories& repos) {
    auto group = repos.groups.create_group(ws_, "G", 1).value();
    repos.groups.add_members(group.id, second.target_ids);
    auto members = repos.groups.list_members(group.id, {});
    ASSERT_EQ(members.items.size(), 3u);
    EXPECT_EQ(members.items[0].fields.email, "a@x.com");
    EXPECT_EQ(members.items[0].fields.first_name, "Alice");  // updated in place
    EXPECT_EQ(members.items[1].fields.first_name, "Bea");
  });
}

TEST_P(StoreTest, UpsertTargetsKeepsInputOrderAcrossBatchesRepeatsAndAnyText) {
  std::vector<TargetFields> targets;
  for (int i = 0; i < 5003; ++i) targets.push_back(target("p" + std::to_string(i) + "@x.com"));
  targets[17].first_name = R"(Zoë "Z" O'Brien \ {x,y} NULL)";
  targets.push_back(target("p3@x.com", "Again"));  // the same person twice in one call
  UpsertStats stats;
  write([&](Repositories& repos) { stats = repos.groups.upsert_targets(ws_, targets, 1); });
  EXPECT_EQ(stats.created, 5003);
  EXPECT_EQ(stats.updated, 1);
  ASSERT_EQ(stats.target_ids.size(), targets.size());
  EXPECT_EQ(stats.target_ids.back(), stats.target_ids[3]);
  write([&](Repositories& repos) {
    const auto group = repos.groups.create_group(ws_, "Many", 1).value();
    repos.groups.add_members(group.id, {stats.target_ids[17], stats.target_ids[3]});
    const auto members = repos.groups.list_members(group.id, {});
    ASSERT_EQ(members.items.size(), 2u);
    for (const auto& m : members.items) {
      if (m.id == stats.target_ids[17]) {
        EXPECT_EQ(m.fields.first_name, targets[17].first_name);
      } else {
        EXPECT_EQ(m.fields.email, "p3@x.com");
        EXPECT_EQ(m.fields.first_name, "Again");
      }
    }
  });
}

TEST_P(StoreTest, MembersPagingAndRemoval) {
  std::int64_t group_id = 0;
  std::vector<std::int64_t> ids;
  write([&](Repositories& repos) {
    group_id = repos.groups.create_group(ws_, "Everyone", 1).value().id;
    std::vector<TargetFields> targets;
    for (int i = 0; i < 5; ++i) targets.push_back(target("t" + std::to_string(i) + "@x.com"));
    ids = repos.groups.upsert_targets(ws_, targets, 1).target_ids;
    repos.groups.add_members(group_id, ids);
    repos.groups.add_members(group_id, {ids[0], ids[1]});  // duplicates ignored
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.groups.find_group(ws_, group_id)->target_count, 5);
    auto page1 = repos.groups.list_members(group_id, {0, 2});
    ASSERT_EQ(page1.items.size(), 2u);
    ASSERT_TRUE(page1.next_after.has_value());
    EXPECT_EQ(*page1.next_after, ids[1]);
    auto page2 = repos.groups.list_members(group_id, {*page1.next_after, 2});
    ASSERT_EQ(page2.items.size(), 2u);
    EXPECT_EQ(page2.items[0].id, ids[2]);
    ASSERT_TRUE(page2.next_after.has_value());
    auto page3 = repos.groups.list_members(group_id, {*page2.next_after, 2});
    ASSERT_EQ(page3.items.size(), 1u);
    EXPECT_EQ(page3.items[0].id, ids[4]);
    EXPECT_FALSE(page3.next_after.has_value());
  });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.groups.remove_member(group_id, ids[2]));
    EXPECT_FALSE(repos.groups.remove_member(group_id, ids[2]));
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.groups.find_group(ws_, group_id)->target_count, 4);
  });
  write([&](Repositories& repos) { repos.groups.clear_members(group_id); });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.groups.find_group(ws_, group_id)->target_count, 0);
    EXPECT_TRUE(repos.groups.list_members(group_id, {}).items.empty());
  });
}

TEST_P(StoreTest, DeleteGroupCascadesMembershipButKeepsTargets) {
  std::int64_t doomed = 0;
  std::int64_t kept = 0;
  std::vector<std::int64_t> ids;
  write([&](Repositories& repos) {
    doomed = repos.groups.create_group(ws_, "Doomed", 1).value().id;
    kept = repos.groups.create_group(ws_, "Kept", 1).value().id;
    ids = repos.groups.upsert_targets(ws_, {target("a@x.com"), target("b@x.com")}, 1).target_ids;
    repos.groups.add_members(doomed, ids);
    repos.groups.add_members(kept, {ids[0]});
  });
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.groups.delete_group(other_ws_, doomed));
    EXPECT_TRUE(repos.groups.delete_group(ws_, doomed));
    EXPECT_FALSE(repos.groups.delete_group(ws_, doomed));
  });
  read([&](Repositories& repos) {
    EXPECT_FALSE(repos.groups.find_group(ws_, doomed).has_value());
    EXPECT_TRUE(repos.groups.list_members(doomed, {}).items.empty());
    EXPECT_EQ(repos.groups.find_group(ws_, kept)->target_count, 1);
  });
  // The membership rows are gone: a new group reusing nothing sees none, and
  // re-adding the targets to another group still works (targets survive).
  UpsertStats again;
  write([&](Repositories& repos) {
    again = repos.groups.upsert_targets(ws_, {target("b@x.com")}, 2);
  });
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.updated, 1);
}

TEST_P(StoreTest, WriteErrorRollsBackEverything) {
  auto result = store_->write([&](Repositories& repos) -> Result<void> {
    EXPECT_TRUE(repos.groups.create_group(ws_, "Rolled back", 1).has_value());
    repos.accounts.create_workspace("Ephemeral", 1);
    return fail(ErrorCode::kValidation, "changed my mind", "x");
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "x");
  read([&](Repositories& repos) {
    EXPECT_TRUE(repos.groups.list_groups(ws_, {}).items.empty());
    EXPECT_FALSE(repos.accounts.find_workspace_by_name("Ephemeral").has_value());
  });
  // The store is usable afterwards.
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.groups.create_group(ws_, "Rolled back", 1).has_value());
  });
}

TEST_P(StoreTest, ConflictInsideTransactionRollsBackEarlierWrites) {
  write([&](Repositories& repos) { ASSERT_TRUE(repos.groups.create_group(ws_, "A", 1)); });
  auto result = store_->write([&](Repositories& repos) -> Result<void> {
    EXPECT_TRUE(repos.groups.create_group(ws_, "B", 1).has_value());
    auto dup = repos.groups.create_group(ws_, "A", 1);
    if (!dup) return std::unexpected(dup.error());
    return {};
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
  read([&](Repositories& repos) { EXPECT_EQ(repos.groups.list_groups(ws_, {}).items.size(), 1u); });
}

TEST_P(StoreTest, TemplatesCrudAndWorkspaceIsolation) {
  EmailTemplate tmpl;
  tmpl.name = "Invoice";
  tmpl.subject = "Your invoice {{.FirstName}}";
  tmpl.html = "<p>Hi</p>";
  tmpl.text = "Hi";
  tmpl.from = "Billing <billing@example.com>";
  tmpl.headers = {{"X-Priority", "1"}, {"X-Note", "a \"quoted\" value"}};
  tmpl.attachments = {{"invoice.pdf", "application/pdf", "JVBERi0="}};
  tmpl.phish_scale = {"it-help-desk",
                      "account-locked-unlock",
                      {{"no_branding", "plain text, \"no\" logo"}},
                      {"generic_greeting"}};
  tmpl.created_at = 10;
  tmpl.updated_at = 10;
  EmailTemplate created;
  write([&](Repositories& repos) {
    auto result = repos.templates.create_template(ws_, tmpl);
    ASSERT_TRUE(result.has_value());
    created = *result;
  });
  read([&](Repositories& repos) {
    auto found = repos.templates.find_template(ws_, created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->subject, tmpl.subject);
    EXPECT_EQ(found->from, tmpl.from);
    ASSERT_EQ(found->headers.size(), 2u);
    EXPECT_EQ(found->headers[1].value, "a \"quoted\" value");
    ASSERT_EQ(found->attachments.size(), 1u);
    EXPECT_EQ(found->attachments[0].name, "invoice.pdf");
    EXPECT_EQ(found->attachments[0].content_type, "application/pdf");
    EXPECT_EQ(found->attachments[0].content_base64, "JVBERi0=");
    EXPECT_EQ(found->phish_scale, tmpl.phish_scale);
    EXPECT_FALSE(repos.templates.find_template(other_ws_, created.id).has_value());
    EXPECT_EQ(repos.templates.list_templates(ws_, {}).items.size(), 1u);
    EXPECT_TRUE(repos.templates.list_templates(other_ws_, {}).items.empty());
  });
  auto dup = store_->write([&](Repositories& repos) -> Result<void> {
    auto again = repos.templates.create_template(ws_, tmpl);
    if (!again) return std::unexpected(again.error());
    return {};
  });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().field, "name");

  write([&](Repositories& repos) {
    EmailTemplate changed = created;
    changed.subject = "Changed";
    changed.headers.clear();
    changed.attachments.clear();
    changed.phish_scale = {};
    changed.updated_at = 20;
    ASSERT_TRUE(repos.templates.update_template(ws_, changed).has_value());
    changed.subject = "Hijacked";
    ASSERT_TRUE(repos.templates.update_template(other_ws_, changed).has_value());
  });
  read([&](Repositories& repos) {
    auto found = repos.templates.find_template(ws_, created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->subject, "Changed");
    EXPECT_TRUE(found->headers.empty());
    EXPECT_TRUE(found->attachments.empty());
    EXPECT_EQ(found->phish_scale, TemplateScale{});
    EXPECT_EQ(found->updated_at, 20);
    EXPECT_EQ(found->created_at, 10);
  });
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.templates.delete_template(other_ws_, created.id));
    EXPECT_TRUE(repos.templates.delete_template(ws_, created.id));
    EXPECT_FALSE(repos.templates.delete_template(ws_, created.id));
    EXPECT_FALSE(repos.templates.find_template(ws_, created.id).has_value());
  });
}

TEST_P(StoreTest, PagesCrudAndWorkspaceIsolation) {
  LandingPage page;
  page.name = "Login";
  page.html = "<form></form>";
  page.capture = CapturePolicy::kFields;
  page.redirect_url = "https://example.com/done";
  page.created_at = 5;
  page.updated_at = 5;
  LandingPage created;
  write([&](Repositories& repos) { created = repos.pages.create_page(ws_, page).value(); });
  read([&](Repositories& repos) {
    auto found = repos.pages.find_page(ws_, created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->capture, CapturePolicy::kFields);
    EXPECT_EQ(found->redirect_url, "https://example.com/done");
    EXPECT_EQ(found->html, "<form></form>");
    EXPECT_TRUE(found->safe_fields.empty());  // nothing's value kept by default
    EXPECT_FALSE(found->allow_scripts);
    EXPECT_FALSE(repos.pages.find_page(other_ws_, created.id).has_value());
    EXPECT_TRUE(repos.pages.list_pages(other_ws_, {}).items.empty());
  });
  write([&](Repositories& repos) {
    auto changed = created;
    changed.capture = CapturePolicy::kValues;
    changed.redirect_url.clear();
    changed.safe_fields = {"username", "département"};
    changed.allow_scripts = true;
    changed.updated_at = 6;
    ASSERT_TRUE(repos.pages.update_page(ws_, changed).has_value());
    const auto reread = repos.pages.find_page(ws_, created.id);
    EXPECT_EQ(reread->safe_fields, (std::vector<std::string>{"username", "département"}));
    EXPECT_TRUE(reread->allow_scripts);
    auto second = page;
    second.name = "Other";
    auto other = repos.pages.create_page(ws_, second);
    ASSERT_TRUE(other.has_value());
    second.id = other->id;
    second.name = "Login";
    auto clash = repos.pages.update_page(ws_, second);
    ASSERT_FALSE(clash.has_value());
    EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
    EXPECT_EQ(clash.error().field, "name");
  });
  read([&](Repositories& repos) {
    auto found = repos.pages.find_page(ws_, created.id);
    EXPECT_EQ(found->capture, CapturePolicy::kValues);
    EXPECT_EQ(found->redirect_url, "");
    auto list = repos.pages.list_pages(ws_, {0, 1});
    EXPECT_EQ(list.items.size(), 1u);
    EXPECT_TRUE(list.next_after.has_value());
  });
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.pages.delete_page(other_ws_, created.id));
    EXPECT_TRUE(repos.pages.delete_page(ws_, created.id));
  });
}

// The service seals; the store keeps what it is given and never reads back
// more than the masked URL.
TEST_P(StoreTest, WebhookSealsAreStoredAsGivenAndKeptWhenEmpty) {
  const WebhookSeals seals{"https://hooks.example.com/…", "sealed-url", "sealed-secret"};
  Webhook created;
  write([&](Repositories& repos) {
    created = repos.webhooks.create_webhook(ws_, sample_webhook(""), seals).value();
  });
  EXPECT_EQ(created.url_masked, "https://hooks.example.com/…");
  EXPECT_TRUE(created.url.empty());
  EXPECT_TRUE(created.has_secret);
  // An update with empty seals keeps them; one with seals replaces them.
  write([&](Repositories& repos) {
    auto changed = sample_webhook("");
    changed.id = created.id;
    changed.name = "SIEM 2";
    ASSERT_TRUE(repos.webhooks.update_webhook(ws_, changed, {}).has_value());
    repos.webhooks.enqueue(ws_, "clicked", "{}", 1000);
  });
  write([&](Repositories& repos) {
    auto found = repos.webhooks.find_webhook(ws_, created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "SIEM 2");
    EXPECT_EQ(found->url_masked, "https://hooks.example.com/…");
    EXPECT_TRUE(found->url.empty());
    auto due = repos.webhooks.claim_deliveries(2000, 3000, 4);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].url_sealed, "sealed-url");
    EXPECT_EQ(due[0].secret_sealed, "sealed-secret");
  });
  write([&](Repositories& repos) {
    auto changed = sample_webhook("");
    changed.id = created.id;
    ASSERT_TRUE(
        repos.webhooks.update_webhook(ws_, changed, {"https://other.example.net:8443/…", "u2", ""})
            .has_value());
    EXPECT_EQ(repos.webhooks.find_webhook(ws_, created.id)->url_masked,
              "https://other.example.net:8443/…");
  });
}

TEST_P(StoreTest, ProfileKeepsItsSealedPasswordAsGivenAndNeverReturnsIt) {
  SendingProfile created;
  write([&](Repositories& repos) {
    SendingProfile given = smtp_profile("Relay");
    given.password = "ignored";  // the port stores only what arrives sealed
    created = repos.profiles.create_profile(ws_, given, "sealed-A").value();
  });
  EXPECT_TRUE(created.has_password);
  EXPECT_TRUE(created.password.empty());
  ASSERT_TRUE(reopen(key_));
  read([&](Repositories& repos) {
    auto found = repos.profiles.find_profile(ws_, created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(found->has_password);
    EXPECT_TRUE(found->password.empty());
    EXPECT_EQ(found->kind, TransportKind::kSmtp);
    EXPECT_EQ(found->tls, TlsMode::kStartTls);
    EXPECT_EQ(found->port, 587);
    EXPECT_EQ(found->rate_per_minute, 30);
    ASSERT_EQ(found->headers.size(), 1u);
    EXPECT_EQ(found->headers[0].name, "X-Mailer");
    for (const auto& p : repos.profiles.list_profiles(ws_, {}).items) {
      EXPECT_TRUE(p.password.empty());
    }
    EXPECT_EQ(repos.profiles.find_sealed_password(ws_, created.id), "sealed-A");
    EXPECT_FALSE(repos.profiles.find_sealed_password(other_ws_, created.id).has_value());
    EXPECT_FALSE(repos.profiles.find_profile(other_ws_, created.id).has_value());
  });
}

TEST_P(StoreTest, ProfileUpdateKeepsReplacesOrClearsPassword) {
  SendingProfile created;
  write([&](Repositories& repos) {
    created = repos.profiles.create_profile(ws_, smtp_profile("Relay"), "sealed-A").value();
  });
  // nullopt: the stored password survives an update.
  write([&](Repositories& repos) {
    auto changed = created;
    changed.host = "smtp2.example.com";
    changed.has_password = false;
    changed.updated_at = 2000;
    ASSERT_TRUE(repos.profiles.update_profile(ws_, changed, std::nullopt).has_value());
  });
  read([&](Repositories& repos) {
    auto found = repos.profiles.find_profile(ws_, created.id);
    EXPECT_EQ(found->host, "smtp2.example.com");
    EXPECT_EQ(found->updated_at, 2000);
    EXPECT_TRUE(found->has_password);
    EXPECT_EQ(repos.profiles.find_sealed_password(ws_, created.id), "sealed-A");
  });
  // Replaced.
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.profiles.update_profile(ws_, created, std::string("sealed-B")).has_value());
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.profiles.find_sealed_password(ws_, created.id), "sealed-B");
  });
  // Cleared.
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.profiles.update_profile(ws_, created, std::string()).has_value());
  });
  read([&](Repositories& repos) {
    auto found = repos.profiles.find_profile(ws_, created.id);
    EXPECT_FALSE(found->has_password);
    EXPECT_EQ(repos.profiles.find_sealed_password(ws_, created.id), std::string());
  });
  // Another workspace's update changes nothing.
  write([&](Repositories& repos) {
    auto changed = created;
    changed.name = "Hijacked";
    ASSERT_TRUE(
        repos.profiles.update_profile(other_ws_, changed, std::string("sealed-C")).has_value());
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.profiles.find_profile(ws_, created.id)->name, "Relay");
    EXPECT_EQ(repos.profiles.find_sealed_password(ws_, created.id), std::string());
  });
}

TEST_P(StoreTest, ProfileWithoutPasswordAndDeletion) {
  SendingProfile created;
  write([&](Repositories& repos) {
    SendingProfile outbox;
    outbox.name = "Outbox";
    outbox.from = "it@example.com";
    created = repos.profiles.create_profile(ws_, outbox, "").value();
  });
  read([&](Repositories& repos) {
    auto found = repos.profiles.find_profile(ws_, created.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_FALSE(found->has_password);
    EXPECT_EQ(found->kind, TransportKind::kOutbox);
    EXPECT_EQ(repos.profiles.find_sealed_password(ws_, created.id), std::string());
    EXPECT_FALSE(repos.profiles.find_sealed_password(ws_, created.id + 100).has_value());
  });
  write([&](Repositories& repos) {
    EXPECT_FALSE(repos.profiles.delete_profile(other_ws_, created.id));
    EXPECT_TRUE(repos.profiles.delete_profile(ws_, created.id));
    EXPECT_FALSE(repos.profiles.find_profile(ws_, created.id).has_value());
  });
}

// A launch's audience: each person once whatever their groups, by id, only
// from this workspace's groups; handed over in batches that may write.
TEST_P(StoreTest, TargetsOfGroupsComeOnceByIdAndInBatches) {
  std::vector<std::int64_t> ids;
  std::int64_t a = 0, b = 0, theirs = 0;
  write([&](Repositories& repos) {
    ids = repos.groups
              .upsert_targets(ws_,
                              {target("a@x.com"), target("b@x.com"), target("c@x.com"),
                               target("d@x.com"), target("e@x.com")},
                              1)
              .target_ids;
    a = repos.groups.create_group(ws_, "A", 1).value().id;
    b = repos.groups.create_group(ws_, "B", 1).value().id;
    repos.groups.add_members(a, {ids[0], ids[1], ids[2]});
    repos.groups.add_members(b, {ids[2], ids[3], ids[4]});
    const auto other = repos.groups.upsert_targets(other_ws_, {target("z@x.com")}, 1);
    theirs = repos.groups.create_group(other_ws_, "Z", 1).value().id;
    repos.groups.add_members(theirs, other.target_ids);
  });
  write([&](Repositories& repos) {
    const auto all = repos.campaigns.targets_of_groups(ws_, {a, b, theirs});
    ASSERT_EQ(all.size(), 5u);
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].id, ids[i]);
    EXPECT_EQ(all[2].fields.email, "c@x.com");
    EXPECT_EQ(repos.campaigns.count_targets_of_groups(ws_, {a, b, theirs}), 5);

    std::vector<std::size_t> sizes;
    std::vector<std::int64_t> seen;
    auto walked = repos.campaigns.for_each_target_of_groups(
        ws_, {a, b}, 2, [&](const std::vector<Target>& batch) -> Result<void> {
          sizes.push_back(batch.size());
          for (const auto& t : batch) seen.push_back(t.id);
          // A batch may write in the same transaction.
          repos.groups.touch_group(a, 50);
          return {};
        });
    ASSERT_TRUE(walked.has_value()) << walked.error().message;
    EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
    EXPECT_EQ(seen, ids);

    int calls = 0;
    auto stopped = repos.campaigns.for_each_target_of_groups(
        ws_, {a, b}, 2, [&](const std::vector<Target>&) -> Result<void> {
          ++calls;
          return fail(ErrorCode::kConflict, "stop here");
        });
    ASSERT_FALSE(stopped.has_value());
    EXPECT_EQ(stopped.error().message, "stop here");
    EXPECT_EQ(calls, 1);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

TEST_P(StoreTest, PremiseAnswersArePerWorkspaceAndCategory) {
  PremiseRatings strong;
  strong.ratings = {8, 8, 4, 6, 0};
  PremiseRatings weak;
  weak.ratings = {2, 2, 0, 2, 6};
  write([&](Repositories& repos) {
    repos.phish_scale.save_premise_answers(ws_, "hr-and-payroll", weak);
    repos.phish_scale.save_premise_answers(ws_, "hr-and-payroll", strong);  // replaces
    repos.phish_scale.save_premise_answers(ws_, "", weak);
    repos.phish_scale.save_premise_answers(other_ws_, "hr-and-payroll", weak);
  });
  read([&](Repositories& repos) {
    const auto mine = repos.phish_scale.premise_answers(ws_);
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine.at("hr-and-payroll"), strong);
    EXPECT_EQ(mine.at(""), weak);
    EXPECT_EQ(repos.phish_scale.premise_answers(other_ws_).at("hr-and-payroll"), weak);
  });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.phish_scale.delete_premise_answers(ws_, "hr-and-payroll"));
    EXPECT_FALSE(repos.phish_scale.delete_premise_answers(ws_, "hr-and-payroll"));
  });
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.phish_scale.premise_answers(ws_).size(), 1u);
    EXPECT_TRUE(repos.phish_scale.template_outcomes(ws_).empty());
  });
}

TEST_P(StoreTest, ImportedSimulationsArePerWorkspaceAndAReplacementIsANewRow) {
  const SimulationFileMap v1{{"simulation.toml", "slug = \"ours\"\n"}, {"email.txt", "é ✓"}};
  const SimulationFileMap v2{{"simulation.toml", "slug = \"ours\"\nversion = 2\n"}};
  std::int64_t first = 0, second = 0;
  write([&](Repositories& repos) {
    first = repos.library.put_imported_simulation(ws_, {0, "ours", 1, 1000}, v1);
    repos.library.put_imported_simulation(other_ws_, {0, "ours", 7, 1000}, v1);
    repos.library.put_imported_simulation(ws_, {0, "another", 1, 1001}, v1);
  });
  write([&](Repositories& repos) {
    second = repos.library.put_imported_simulation(ws_, {0, "ours", 2, 2000}, v2);
  });
  EXPECT_NE(first, second);
  read([&](Repositories& repos) {
    const auto rows = repos.library.imported_simulations(ws_);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].slug, "another");  // by slug
    EXPECT_EQ(rows[1].slug, "ours");
    EXPECT_EQ(rows[1].id, second);
    EXPECT_EQ(rows[1].version, 2);
    EXPECT_EQ(rows[1].imported_at, 2000);
    EXPECT_EQ(repos.library.imported_simulation_files(ws_, second), v2);
    EXPECT_FALSE(repos.library.imported_simulation_files(ws_, first).has_value());
    // Another workspace's row is not this one's.
    const auto theirs = repos.library.imported_simulations(other_ws_);
    ASSERT_EQ(theirs.size(), 1u);
    EXPECT_EQ(theirs[0].version, 7);
    EXPECT_FALSE(repos.library.imported_simulation_files(ws_, theirs[0].id).has_value());
    EXPECT_EQ(repos.library.imported_simulation_files(other_ws_, theirs[0].id), v1);
  });
  write([&](Repositories& repos) {
    EXPECT_TRUE(repos.library.delete_imported_simulation(ws_, "ours"));
    EXPECT_FALSE(repos.library.delete_imported_simulation(ws_, "ours"));
  });
  // Ids are never handed out again, even after the newest row is removed.
  std::int64_t third = 0;
  write([&](Repositories& repos) {
    third = repos.library.put_imported_simulation(ws_, {0, "ours", 3, 3000}, v1);
  });
  EXPECT_GT(third, second);
  read([&](Repositories& repos) {
    EXPECT_EQ(repos.library.imported_simulations(other_ws_).size(), 1u);
  });
}

TEST_P(StoreTest, TrainingImportsKeepTheirArchiveAndANewerRowReplaces) {
  constexpr char kBytes[] = "ustar\0binary\xff\x01 bytes";  // a NUL and non-UTF-8 bytes inside
  const std::string archive(kBytes, sizeof kBytes - 1);
  write([&](Repositories& repos) {
    repos.training_imports.put_training_import({0, ws_, "our-module", 1, 1000}, archive);
    repos.training_imports.put_training_import({0, other_ws_, "our-module", 4, 1000}, "x");
  });
  write([&](Repositories& repos) {
    repos.training_imports.put_training_import({0, ws_, "our-module", 2, 2000}, archive + "v2");
  });
  read([&](Repositories& repos) {
    const auto rows = repos.training_imports.training_imports();
    ASSERT_EQ(rows.size(), 2u);
    const auto& mine = rows[0].workspace_id == ws_ ? rows[0] : rows[1];
    EXPECT_EQ(mine.slug, "our-module");
    EXPECT_EQ(mine.version, 2);
    EXPECT_EQ(mine.imported_at, 2000);
    EXPECT_EQ(repos.training_imports.training_import_archive(mine.id), archive + "v2");
    EXPECT_FALSE(repos.training_imports.training_import_archive(mine.id + 1000).has_value());
  });
}

}  // namespace
}  // namespace phishdrill
