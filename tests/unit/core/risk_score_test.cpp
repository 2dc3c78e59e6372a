// The risk score (core/risk_score.h) on seeded histories, against values
// computed by hand from the formula in its header.
#include "core/risk_score.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC
constexpr std::int64_t kDay = 86400;

SimulationRecord delivered(std::int64_t days_ago) {
  SimulationRecord r;
  r.delivered_at = kNow - days_ago * kDay;
  return r;
}

TrainingRecord training(std::int64_t assigned, std::int64_t due,
                        std::optional<std::int64_t> completed = std::nullopt) {
  TrainingRecord t;
  t.assigned_at = assigned;
  t.due_at = due;
  t.completed_at = completed;
  return t;
}

const RiskPart* part(const RiskScore& r, std::string_view key) {
  for (const auto& p : r.parts) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

TEST(RiskScore, SomeoneWithNoHistoryHasTheBaseOnly) {
  const RiskScore r = risk_score({}, kNow);
  EXPECT_EQ(r.score, 20);
  ASSERT_EQ(r.parts.size(), 1u);
  EXPECT_EQ(r.parts[0].key, "base");
}

TEST(RiskScore, RecencyHalvesEveryNinetyDaysAndEndsAfterAYear) {
  EXPECT_DOUBLE_EQ(recency_weight(0), 1.0);
  EXPECT_DOUBLE_EQ(recency_weight(90 * kDay), 0.5);
  EXPECT_DOUBLE_EQ(recency_weight(180 * kDay), 0.25);
  EXPECT_GT(recency_weight(365 * kDay), 0.0);
  EXPECT_EQ(recency_weight(366 * kDay), 0.0);
  EXPECT_DOUBLE_EQ(recency_weight(-5 * kDay), 1.0);  // a clock a little ahead counts as now
}

// Worked by hand:
//   base 20
//   clicked today                 +20 x 1    = 20
//   submitted 90 days ago         +30 x 0.5  = 15
//   reported 180 days ago         -10 x 0.25 = -2.5
//   clicked, then reported, 90 d  +20 x 0.5  = 10, and -5 x 0.5 = -2.5
//   submitted 400 days ago        outside the year: 0
//   training passed 90 days ago   -8 x 0.5   = -4
//   one training overdue          +8
//   sum 64; two sensitive roles (one listed twice) +20: 84.
TEST(RiskScore, AHandComputedHistory) {
  PersonHistory h;
  auto clicked_today = delivered(0);
  clicked_today.funnel = advance(clicked_today.funnel, 2, false, kNow);
  auto submitted_90 = delivered(90);
  submitted_90.funnel = advance(submitted_90.funnel, 3, false, kNow - 90 * kDay + 60);
  auto reported_180 = delivered(180);
  reported_180.funnel = advance(reported_180.funnel, 0, true, kNow - 180 * kDay + 300);
  auto clicked_then_reported = delivered(90);
  clicked_then_reported.funnel =
      advance(clicked_then_reported.funnel, 2, false, kNow - 90 * kDay + 30);
  clicked_then_reported.funnel =
      advance(clicked_then_reported.funnel, 0, true, kNow - 90 * kDay + 600);
  auto old_submission = delivered(400);
  old_submission.funnel = advance(old_submission.funnel, 3, false, kNow - 400 * kDay);
  h.simulations = {clicked_today, submitted_90, reported_180, clicked_then_reported,
                   old_submission};
  h.training = {training(kNow - 100 * kDay, kNow - 80 * kDay, kNow - 90 * kDay),  // passed
                training(kNow - 20 * kDay, kNow - kDay),                          // overdue
                training(kNow - kDay, kNow + 6 * kDay)};                          // not yet due
  const RiskScore without_roles = risk_score(h, kNow);
  EXPECT_EQ(without_roles.score, 64);
  h.sensitivities = {Sensitivity::kPayments, Sensitivity::kPatientData, Sensitivity::kPayments};
  const RiskScore r = risk_score(h, kNow);
  EXPECT_EQ(r.score, 84);

  ASSERT_NE(part(r, "clicked"), nullptr);
  EXPECT_DOUBLE_EQ(part(r, "clicked")->points, 30);
  EXPECT_EQ(part(r, "clicked")->count, 2);
  EXPECT_EQ(part(r, "clicked")->detail, "2 links clicked, the latest today");
  EXPECT_DOUBLE_EQ(part(r, "submitted")->points, 15);
  EXPECT_EQ(part(r, "submitted")->count, 1);  // the one from 400 days ago is not counted
  EXPECT_DOUBLE_EQ(part(r, "reported")->points, -2.5);
  EXPECT_EQ(part(r, "reported")->detail, "1 simulation reported, the latest 180 days ago");
  EXPECT_DOUBLE_EQ(part(r, "reported_after_failing")->points, -2.5);
  EXPECT_DOUBLE_EQ(part(r, "training_passed")->points, -4);
  EXPECT_DOUBLE_EQ(part(r, "training_overdue")->points, 8);
  EXPECT_EQ(part(r, "role_payments")->detail, "a sensitive role: approves payments");
  EXPECT_NE(part(r, "role_patient_data"), nullptr);
  EXPECT_EQ(part(r, "training_overdue")->count, 1);  // the one not yet due is not overdue
  double sum = 0;
  for (const auto& p : r.parts) sum += p.points;
  EXPECT_DOUBLE_EQ(sum, 84);  // the parts add up to the score when nothing is held
}

TEST(RiskScore, TheScoreIsHeldBetweenZeroAndAHundred) {
  PersonHistory careless;
  for (int i = 0; i < 5; ++i) {
    auto s = delivered(i);
    s.funnel = advance(s.funnel, 3, false, s.delivered_at + 10);
    careless.simulations.push_back(s);
  }
  careless.sensitivities = {Sensitivity::kSystemAdministration};
  EXPECT_EQ(risk_score(careless, kNow).score, 100);

  PersonHistory careful;
  for (int i = 0; i < 10; ++i) {
    auto s = delivered(0);
    s.funnel = advance(s.funnel, 0, true, kNow);
    careful.simulations.push_back(s);
  }
  EXPECT_EQ(risk_score(careful, kNow).score, 0);  // 20 - 100, held at 0
  // A sensitive role raises even a perfect reporter, after the hold.
  careful.sensitivities = {Sensitivity::kPatientData};
  EXPECT_EQ(risk_score(careful, kNow).score, 10);
}

TEST(RiskScore, TheWorstOutcomeOfASimulationIsTheOneCounted) {
  auto s = delivered(0);
  s.funnel = advance(advance(s.funnel, 2, false, kNow), 3, false, kNow);  // clicked, then submitted
  PersonHistory h;
  h.simulations = {s};
  const RiskScore r = risk_score(h, kNow);
  EXPECT_EQ(r.score, 50);  // 20 + 30, not 20 + 30 + 20
  EXPECT_EQ(part(r, "clicked"), nullptr);
}

TEST(PersonHistory, OutcomesAndSensitivitiesHaveNames) {
  SimulationRecord r = delivered(0);
  EXPECT_EQ(outcome_name(outcome_of(r)), "no_action");
  r.funnel = advance(r.funnel, 1, false, kNow);  // an open is no failure
  EXPECT_EQ(outcome_name(outcome_of(r)), "no_action");
  r.funnel = advance(r.funnel, 0, true, kNow);
  EXPECT_EQ(outcome_name(outcome_of(r)), "reported");
  r.funnel = advance(r.funnel, 2, false, kNow);  // clicked after reporting: a failure still
  EXPECT_EQ(outcome_name(outcome_of(r)), "clicked");
  EXPECT_EQ(parse_sensitivity("payments"), Sensitivity::kPayments);
  EXPECT_EQ(parse_sensitivity("Payments"), std::nullopt);
  EXPECT_EQ(sensitivity_label(Sensitivity::kSystemAdministration), "administers systems");
}

}  // namespace
}  // namespace phishdrill
