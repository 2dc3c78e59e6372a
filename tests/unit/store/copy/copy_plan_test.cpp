// The copy plan: tables in an order their foreign keys allow, columns in the
// target's order with their conversions, the bookkeeping table left out on
// purpose, and every mismatch between the two schemas a loud error that
// names what is at fault (never a table skipped in silence).
#include "store/copy/copy_plan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace phishdrill::store_copy {
namespace {

TableShape table(std::string name, std::vector<ColumnShape> columns,
                 std::vector<std::string> references = {}) {
  return {std::move(name), std::move(columns), std::move(references)};
}

std::vector<std::string> names(const std::vector<TablePlan>& plans) {
  std::vector<std::string> out;
  for (const auto& plan : plans) out.push_back(plan.name);
  return out;
}

// The same tables as both databases would list them (SQLite, PostgreSQL).
struct Schemas {
  std::vector<TableShape> sqlite;
  std::vector<TableShape> postgres;
};

Schemas accounts_schemas() {
  return {
      {table("users", {{"id", "integer"}, {"workspace_id", "integer"}, {"admin", "integer"}},
             {"workspaces"}),
       table("sessions", {{"token_hash", "text"}, {"user_id", "integer"}}, {"users"}),
       table("workspaces", {{"id", "integer"}, {"name", "text"}}),
       table("schema_migrations", {{"version", "integer"}, {"applied_at", "integer"}})},
      {table("sessions", {{"user_id", "bigint"}, {"token_hash", "text"}}, {"users", "workspaces"}),
       table("users", {{"id", "bigint"}, {"workspace_id", "bigint"}, {"admin", "boolean"}},
             {"workspaces"}),
       table("workspaces", {{"id", "bigint"}, {"name", "text"}}),
       table("schema_migrations", {{"version", "bigint"}, {"applied_at", "bigint"}})}};
}

TEST(CopyPlan, CopiesEachTableAfterTheTablesItsForeignKeysPointTo) {
  const auto s = accounts_schemas();
  const auto plans = plan_copy(s.sqlite, s.postgres);
  ASSERT_TRUE(plans.has_value()) << plans.error().message;
  EXPECT_EQ(names(*plans), (std::vector<std::string>{"workspaces", "users", "sessions"}));
}

TEST(CopyPlan, TakesTheTargetsColumnOrderAndConvertsFlagsToBooleans) {
  const auto s = accounts_schemas();
  const auto plans = plan_copy(s.sqlite, s.postgres);
  ASSERT_TRUE(plans.has_value()) << plans.error().message;
  EXPECT_EQ((*plans)[2].column_names(), (std::vector<std::string>{"user_id", "token_hash"}));
  const auto& users = (*plans)[1].columns;
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[0].conversion, Conversion::kInteger);
  EXPECT_EQ(users[2].name, "admin");
  EXPECT_EQ(users[2].conversion, Conversion::kBoolean);
}

TEST(CopyPlan, LeavesOutOnlyTheTablesListedWithAReason) {
  ASSERT_EQ(tables_not_copied().size(), 2u);
  EXPECT_EQ(tables_not_copied()[0].table, "schema_migrations");
  EXPECT_EQ(tables_not_copied()[1].table, "recipient_state_counts");
  for (const auto& n : tables_not_copied()) EXPECT_FALSE(n.reason.empty());
  auto s = accounts_schemas();
  // SQLite's trigger-kept counts have no PostgreSQL table: that stops nothing.
  s.sqlite.push_back(table("recipient_state_counts", {{"campaign_id", "integer"}}));
  const auto plans = plan_copy(s.sqlite, s.postgres);
  ASSERT_TRUE(plans.has_value()) << plans.error().message;
  for (const auto& plan : *plans) {
    EXPECT_NE(plan.name, "schema_migrations");
    EXPECT_NE(plan.name, "recipient_state_counts");
  }
}

TEST(CopyPlan, ATableOnlyInTheSourceStopsThePlan) {
  auto s = accounts_schemas();
  s.sqlite.push_back(table("login_throttle", {{"id", "integer"}}));
  const auto plans = plan_copy(s.sqlite, s.postgres);
  ASSERT_FALSE(plans.has_value());
  EXPECT_EQ(plans.error().code, ErrorCode::kValidation);
  EXPECT_NE(plans.error().message.find("tables only in the SQLite store: login_throttle"),
            std::string::npos)
      << plans.error().message;
}

TEST(CopyPlan, ATableOnlyInTheTargetStopsThePlan) {
  auto s = accounts_schemas();
  s.postgres.push_back(table("profile_send_rate", {{"id", "bigint"}}));
  const auto plans = plan_copy(s.sqlite, s.postgres);
  ASSERT_FALSE(plans.has_value());
  EXPECT_NE(plans.error().message.find("tables only in the PostgreSQL store: profile_send_rate"),
            std::string::npos)
      << plans.error().message;
}

TEST(CopyPlan, EveryColumnMismatchIsNamed) {
  auto s = accounts_schemas();
  s.sqlite[2].columns.push_back({"colour", "text"});    // workspaces: only in SQLite
  s.postgres[1].columns.push_back({"locale", "text"});  // users: only in PostgreSQL
  s.postgres[0].columns[1].type = "jsonb";              // sessions.token_hash: no conversion
  const auto plans = plan_copy(s.sqlite, s.postgres);
  ASSERT_FALSE(plans.has_value());
  const auto& message = plans.error().message;
  EXPECT_NE(message.find("workspaces.colour is only in the SQLite store"), std::string::npos)
      << message;
  EXPECT_NE(message.find("users.locale is only in the PostgreSQL store"), std::string::npos)
      << message;
  EXPECT_NE(message.find("sessions.token_hash: no conversion from SQLite \"text\" to PostgreSQL "
                         "\"jsonb\""),
            std::string::npos)
      << message;
}

TEST(CopyPlan, ATableThatReferencesItselfIsNotWaitingForItself) {
  const std::vector<TableShape> sqlite = {table("people", {{"id", "integer"}}, {"people"})};
  const std::vector<TableShape> postgres = {table("people", {{"id", "bigint"}}, {"people"})};
  const auto plans = plan_copy(sqlite, postgres);
  ASSERT_TRUE(plans.has_value()) << plans.error().message;
  EXPECT_EQ(names(*plans), (std::vector<std::string>{"people"}));
}

TEST(CopyPlan, ForeignKeysInACycleStopThePlan) {
  const std::vector<TableShape> sqlite = {table("a", {{"id", "integer"}}),
                                          table("b", {{"id", "integer"}})};
  const std::vector<TableShape> postgres = {table("a", {{"id", "bigint"}}, {"b"}),
                                            table("b", {{"id", "bigint"}}, {"a"})};
  const auto plans = plan_copy(sqlite, postgres);
  ASSERT_FALSE(plans.has_value());
  EXPECT_NE(plans.error().message.find("cycle"), std::string::npos) << plans.error().message;
}

}  // namespace
}  // namespace phishdrill::store_copy
