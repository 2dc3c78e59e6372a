#include "core/recipient_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace phishdrill {
namespace {

constexpr std::int64_t kLaunch = 1704099600;  // Monday 2024-01-01 09:00 UTC

std::vector<Target> make_targets(int n, std::int64_t first_id = 101) {
  std::vector<Target> targets;
  for (int i = 0; i < n; ++i) {
    Target t;
    t.id = first_id + i;
    t.fields.email = "user" + std::to_string(i) + "@example.com";
    t.fields.first_name = "First" + std::to_string(i);
    t.fields.last_name = "Last" + std::to_string(i);
    t.fields.position = "Pos" + std::to_string(i);
    t.fields.department = "Dept" + std::to_string(i % 3);
    targets.push_back(t);
  }
  return targets;
}

class RecipientPlanTest : public ::testing::Test {
 protected:
  Result<std::vector<Recipient>> run(const std::vector<Target>& targets,
                                     const std::vector<VariantChoice>& variants,
                                     const SendPlanInput& plan) {
    return plan_recipients(
        targets, variants, plan, [this] { return "rid-" + std::to_string(++rid_calls_); },
        [this](std::int64_t variant_id) {
          message_id_variants_.push_back(variant_id);
          return "mid-" + std::to_string(message_id_variants_.size()) + "-v" +
                 std::to_string(variant_id) + "@mail.example.com";
        });
  }

  SendPlanInput plan_input() const {
    SendPlanInput plan;
    plan.launch_at = kLaunch;
    plan.send_by = kLaunch + 3600;
    plan.seed = 20240101;
    return plan;
  }

  int rid_calls_ = 0;
  std::vector<std::int64_t> message_id_variants_;
};

// Planning in batches gives exactly what planning all at once gives.
TEST_F(RecipientPlanTest, BatchesPlanTheSameAsAllAtOnce) {
  const auto targets = make_targets(23);
  const auto whole = run(targets, {{7, 1}, {9, 3}}, plan_input());
  ASSERT_TRUE(whole.has_value()) << whole.error().message;
  auto planner = RecipientPlanner::create(targets.size(), {{7, 1}, {9, 3}}, plan_input());
  ASSERT_TRUE(planner.has_value()) << planner.error().message;
  int rid = 0;
  std::vector<Recipient> batched;
  for (std::size_t start = 0; start < targets.size(); start += 5) {
    const std::vector<Target> batch(targets.begin() + start,
                                    targets.begin() + std::min(start + 5, targets.size()));
    auto planned = planner->plan(
        batch, [&] { return "rid-" + std::to_string(++rid); },
        [](std::int64_t variant) { return "mid-v" + std::to_string(variant); });
    ASSERT_TRUE(planned.has_value()) << planned.error().message;
    batched.insert(batched.end(), planned->begin(), planned->end());
  }
  EXPECT_EQ(planner->planned(), targets.size());
  ASSERT_EQ(batched.size(), whole->size());
  for (std::size_t i = 0; i < batched.size(); ++i) {
    EXPECT_EQ(batched[i].target_id, (*whole)[i].target_id);
    EXPECT_EQ(batched[i].variant_id, (*whole)[i].variant_id);
    EXPECT_EQ(batched[i].send_at, (*whole)[i].send_at);
    EXPECT_EQ(batched[i].rid, (*whole)[i].rid);
  }
}

TEST_F(RecipientPlanTest, MoreTargetsThanCountedIsAConflict) {
  auto planner = RecipientPlanner::create(3, {{7, 1}}, plan_input());
  ASSERT_TRUE(planner.has_value());
  const auto new_rid = [] { return std::string("r"); };
  const auto new_mid = [](std::int64_t) { return std::string("m"); };
  ASSERT_TRUE(planner->plan(make_targets(2), new_rid, new_mid).has_value());
  auto over = planner->plan(make_targets(2, 500), new_rid, new_mid);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);
  EXPECT_EQ(planner->planned(), 2u);
}

TEST_F(RecipientPlanTest, OneRecipientPerTargetWithSnapshotOfFields) {
  const auto targets = make_targets(50);
  auto result = run(targets, {{7, 1}, {9, 3}}, plan_input());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->size(), targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Recipient& r = (*result)[i];
    EXPECT_EQ(r.target_id, targets[i].id);
    EXPECT_EQ(r.fields.email, targets[i].fields.email);
    EXPECT_EQ(r.fields.first_name, targets[i].fields.first_name);
    EXPECT_EQ(r.fields.last_name, targets[i].fields.last_name);
    EXPECT_EQ(r.fields.position, targets[i].fields.position);
    EXPECT_EQ(r.fields.department, targets[i].fields.department);
    EXPECT_EQ(r.state, SendState::kQueued);
    EXPECT_EQ(r.attempts, 0);
  }
}

TEST_F(RecipientPlanTest, VariantChosenByWeightFromSeedAndTargetId) {
  const auto targets = make_targets(2000);
  const std::vector<VariantChoice> variants = {{7, 1}, {9, 3}};
  const auto plan = plan_input();
  auto result = run(targets, variants, plan);
  ASSERT_TRUE(result.has_value());
  int nine = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto expected =
        variants[pick_weighted(plan.seed, static_cast<std::uint64_t>(targets[i].id), {1, 3})]
            .variant_id;
    EXPECT_EQ((*result)[i].variant_id, expected);
    if ((*result)[i].variant_id == 9) ++nine;
  }
  EXPECT_NEAR(nine / 2000.0, 0.75, 0.05);
}

TEST_F(RecipientPlanTest, VariantDoesNotDependOnTargetOrder) {
  auto targets = make_targets(40);
  auto first = run(targets, {{7, 2}, {9, 1}, {11, 5}}, plan_input());
  std::reverse(targets.begin(), targets.end());
  auto second = run(targets, {{7, 2}, {9, 1}, {11, 5}}, plan_input());
  ASSERT_TRUE(first && second);
  for (const auto& a : *first) {
    auto b = std::find_if(second->begin(), second->end(),
                          [&](const Recipient& r) { return r.target_id == a.target_id; });
    ASSERT_NE(b, second->end());
    EXPECT_EQ(b->variant_id, a.variant_id);
  }
}

TEST_F(RecipientPlanTest, SendTimesArePermutationOfThePlan) {
  const auto targets = make_targets(64);
  auto plan = plan_input();
  plan.jitter_seconds = 30;
  auto result = run(targets, {{7, 1}}, plan);
  ASSERT_TRUE(result.has_value());

  plan.count = targets.size();
  auto times = plan_send_times(plan);
  ASSERT_TRUE(times.has_value());
  const auto order = shuffled_order(targets.size(), plan.seed);
  std::vector<std::int64_t> got;
  for (std::size_t i = 0; i < result->size(); ++i) {
    EXPECT_EQ((*result)[i].send_at, (*times)[order[i]]) << i;
    got.push_back((*result)[i].send_at);
  }
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, *times);  // the plan is sorted
  // Shuffled: targets in input order do not receive the sorted times.
  std::vector<std::int64_t> in_order;
  for (const auto& r : *result) in_order.push_back(r.send_at);
  EXPECT_FALSE(std::is_sorted(in_order.begin(), in_order.end()));
}

TEST_F(RecipientPlanTest, CountInThePlanIsTakenFromTargets) {
  const auto targets = make_targets(5);
  auto plan = plan_input();
  plan.count = 1000;  // ignored
  auto result = run(targets, {{7, 1}}, plan);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->size(), 5u);
}

TEST_F(RecipientPlanTest, RidsAndMessageIdsComeFromTheGenerators) {
  const auto targets = make_targets(30);
  auto result = run(targets, {{7, 1}, {9, 1}}, plan_input());
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(rid_calls_, 30);
  ASSERT_EQ(message_id_variants_.size(), 30u);
  std::set<std::string> rids, mids;
  for (std::size_t i = 0; i < result->size(); ++i) {
    const Recipient& r = (*result)[i];
    EXPECT_EQ(r.rid, "rid-" + std::to_string(i + 1));
    // The Message-ID generator was asked for this recipient's chosen variant.
    EXPECT_EQ(message_id_variants_[i], r.variant_id);
    EXPECT_EQ(r.message_id, "mid-" + std::to_string(i + 1) + "-v" + std::to_string(r.variant_id) +
                                "@mail.example.com");
    rids.insert(r.rid);
    mids.insert(r.message_id);
  }
  EXPECT_EQ(rids.size(), 30u);
  EXPECT_EQ(mids.size(), 30u);
}

TEST_F(RecipientPlanTest, ReproducibleForTheSameSeed) {
  const auto targets = make_targets(25);
  auto a = run(targets, {{7, 1}, {9, 2}}, plan_input());
  auto b = run(targets, {{7, 1}, {9, 2}}, plan_input());
  ASSERT_TRUE(a && b);
  for (std::size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].variant_id, (*b)[i].variant_id);
    EXPECT_EQ((*a)[i].send_at, (*b)[i].send_at);
  }
}

TEST_F(RecipientPlanTest, NoVariantsFails) {
  auto result = run(make_targets(3), {}, plan_input());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "templates");
  EXPECT_EQ(rid_calls_, 0);
}

TEST_F(RecipientPlanTest, PlanErrorPropagates) {
  auto plan = plan_input();
  for (int d = 0; d < 5; ++d) plan.window.days[static_cast<std::size_t>(d)] = true;
  plan.window.start_minute = 10 * 60;
  plan.window.end_minute = 11 * 60;
  plan.launch_at = kLaunch + 2 * 3600;  // Monday 11:00
  plan.send_by = kLaunch + 20 * 3600;   // Tuesday 05:00
  auto result = run(make_targets(3), {{7, 1}}, plan);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "send_by");
  EXPECT_EQ(rid_calls_, 0);
  EXPECT_TRUE(message_id_variants_.empty());
}

TEST_F(RecipientPlanTest, NoTargetsGivesNoRecipients) {
  auto result = run({}, {{7, 1}}, plan_input());
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->empty());
}

}  // namespace
}  // namespace phishdrill
