#include "core/observed_difficulty.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace phishdrill {
namespace {

TemplateOutcome outcome(std::int64_t sent, std::int64_t clicked, std::int64_t submitted = 0) {
  return {sent, clicked, submitted};
}

TEST(ObservedDifficulty, WilsonIntervalOfTenInAHundred) {
  const RateInterval i = wilson_interval(10, 100);
  EXPECT_NEAR(i.low, 0.0552, 0.0001);
  EXPECT_NEAR(i.high, 0.1744, 0.0001);
}

TEST(ObservedDifficulty, WilsonIntervalKnownValues) {
  // Half of forty: symmetric about one half.
  const RateInterval half = wilson_interval(20, 40);
  EXPECT_NEAR(half.low, 0.3520, 0.0001);
  EXPECT_NEAR(half.high, 0.6480, 0.0001);
  EXPECT_NEAR(half.low + half.high, 1.0, 1e-12);
  // 60 of 200.
  const RateInterval thirty = wilson_interval(60, 200);
  EXPECT_NEAR(thirty.low, 0.2407, 0.0001);
  EXPECT_NEAR(thirty.high, 0.3668, 0.0001);
}

TEST(ObservedDifficulty, WilsonIntervalOfNoTrialsIsZero) {
  const RateInterval i = wilson_interval(0, 0);
  EXPECT_EQ(i.low, 0.0);
  EXPECT_EQ(i.high, 0.0);
  const RateInterval negative = wilson_interval(3, -5);
  EXPECT_EQ(negative.low, 0.0);
  EXPECT_EQ(negative.high, 0.0);
}

TEST(ObservedDifficulty, WilsonIntervalOfNoSuccessesStartsAtZero) {
  const RateInterval i = wilson_interval(0, 50);
  EXPECT_NEAR(i.low, 0.0, 1e-12);
  EXPECT_NEAR(i.high, 0.0713, 0.0001);
}

// Shown to people and in the API: no successes give a low of exactly 0, not
// rounding noise such as 6.9e-18.
TEST(ObservedDifficulty, WilsonIntervalOfNoSuccessesIsExactlyZeroAtTheLow) {
  EXPECT_EQ(wilson_interval(0, 50).low, 0.0);
  EXPECT_EQ(wilson_interval(0, 30).low, 0.0);
  EXPECT_EQ(wilson_interval(0, 200).low, 0.0);
}

TEST(ObservedDifficulty, WilsonIntervalOfAllSuccessesEndsAtOne) {
  const RateInterval i = wilson_interval(50, 50);
  EXPECT_NEAR(i.low, 0.9287, 0.0001);
  EXPECT_NEAR(i.high, 1.0, 1e-12);
}

TEST(ObservedDifficulty, WilsonIntervalStaysWithinZeroAndOne) {
  for (const auto& [successes, trials] : {std::pair<std::int64_t, std::int64_t>{0, 1},
                                          {1, 1},
                                          {5, 3},  // more successes than trials
                                          {-2, 10},
                                          {1, 1'000'000}}) {
    const RateInterval i = wilson_interval(successes, trials);
    EXPECT_GE(i.low, 0.0) << successes << "/" << trials;
    EXPECT_LE(i.high, 1.0) << successes << "/" << trials;
    EXPECT_LE(i.low, i.high) << successes << "/" << trials;
  }
}

TEST(ObservedDifficulty, TheIntervalNarrowsAsMoreAreSent) {
  const RateInterval few = wilson_interval(10, 50);
  const RateInterval many = wilson_interval(200, 1000);
  EXPECT_LT(many.high - many.low, few.high - few.low);
  EXPECT_LT(few.low, 0.2);
  EXPECT_GT(few.high, 0.2);
}

TEST(ObservedDifficulty, DifficultyForRateRanges) {
  EXPECT_EQ(difficulty_for_rate(0.0), Difficulty::kLeast);
  EXPECT_EQ(difficulty_for_rate(0.0999), Difficulty::kLeast);
  EXPECT_EQ(difficulty_for_rate(0.10), Difficulty::kModerately);
  EXPECT_EQ(difficulty_for_rate(0.1899), Difficulty::kModerately);
  EXPECT_EQ(difficulty_for_rate(0.19), Difficulty::kVery);
  EXPECT_EQ(difficulty_for_rate(1.0), Difficulty::kVery);
}

TEST(ObservedDifficulty, TooFewSentConcludesNothing) {
  const ObservedDifficulty o = judge_observed(Difficulty::kVery, outcome(29, 0));
  EXPECT_EQ(o.verdict, ObservedVerdict::kTooFew);
  EXPECT_EQ(o.observed, std::nullopt);
  // The rate and its interval are still given.
  const ObservedDifficulty some = judge_observed(Difficulty::kLeast, outcome(29, 20));
  EXPECT_EQ(some.verdict, ObservedVerdict::kTooFew);
  EXPECT_EQ(some.observed, std::nullopt);
  EXPECT_NEAR(some.failure_rate, 20.0 / 29.0, 1e-12);
  EXPECT_GT(some.low, 0.0);
  EXPECT_GT(some.high, some.low);
}

TEST(ObservedDifficulty, ThirtySentIsEnoughToJudge) {
  EXPECT_EQ(kMinimumSentToJudge, 30);
  const ObservedDifficulty o = judge_observed(Difficulty::kVery, outcome(30, 0));
  EXPECT_NE(o.verdict, ObservedVerdict::kTooFew);
  EXPECT_EQ(o.observed, Difficulty::kLeast);
}

TEST(ObservedDifficulty, NothingSent) {
  const ObservedDifficulty o = judge_observed(Difficulty::kModerately, outcome(0, 0));
  EXPECT_EQ(o.verdict, ObservedVerdict::kTooFew);
  EXPECT_EQ(o.observed, std::nullopt);
  EXPECT_EQ(o.failure_rate, 0.0);
  EXPECT_EQ(o.low, 0.0);
  EXPECT_EQ(o.high, 0.0);
}

TEST(ObservedDifficulty, TheOutcomeIsKept) {
  const ObservedDifficulty o = judge_observed(Difficulty::kModerately, outcome(100, 14, 5));
  EXPECT_EQ(o.outcome.sent, 100);
  EXPECT_EQ(o.outcome.clicked, 14);
  EXPECT_EQ(o.outcome.submitted, 5);
  // Submitters are already among those who clicked.
  EXPECT_NEAR(o.failure_rate, 0.14, 1e-12);
}

TEST(ObservedDifficulty, AVeryDifficultTemplateFewClickedIsEasierThanRated) {
  const ObservedDifficulty o = judge_observed(Difficulty::kVery, outcome(200, 2));
  EXPECT_NEAR(o.failure_rate, 0.01, 1e-12);
  EXPECT_LT(o.high, 0.19);
  EXPECT_EQ(o.verdict, ObservedVerdict::kEasierThanRated);
  EXPECT_EQ(o.observed, Difficulty::kLeast);
}

TEST(ObservedDifficulty, ALeastDifficultTemplateManyClickedIsHarderThanRated) {
  const ObservedDifficulty o = judge_observed(Difficulty::kLeast, outcome(200, 60, 20));
  EXPECT_NEAR(o.failure_rate, 0.30, 1e-12);
  EXPECT_GE(o.low, 0.10);
  EXPECT_EQ(o.verdict, ObservedVerdict::kHarderThanRated);
  EXPECT_EQ(o.observed, Difficulty::kVery);
}

TEST(ObservedDifficulty, AModeratelyDifficultTemplateInRangeAgrees) {
  const ObservedDifficulty o = judge_observed(Difficulty::kModerately, outcome(100, 14));
  EXPECT_EQ(o.verdict, ObservedVerdict::kAgrees);
  EXPECT_EQ(o.observed, Difficulty::kModerately);
  EXPECT_NEAR(o.low, wilson_interval(14, 100).low, 1e-12);
  EXPECT_NEAR(o.high, wilson_interval(14, 100).high, 1e-12);
}

TEST(ObservedDifficulty, AnIntervalOverlappingThePredictedRangeAgrees) {
  // 5 of 40 is 12.5 %, but its interval reaches above 19 %: no disagreement
  // with "very".
  const ObservedDifficulty o = judge_observed(Difficulty::kVery, outcome(40, 5));
  EXPECT_EQ(o.observed, Difficulty::kModerately);
  EXPECT_GE(o.high, 0.19);
  EXPECT_EQ(o.verdict, ObservedVerdict::kAgrees);
  // 3 of 100 for "moderately": the interval lies wholly under 10 %.
  const ObservedDifficulty easier = judge_observed(Difficulty::kModerately, outcome(100, 3));
  EXPECT_LT(easier.high, 0.10);
  EXPECT_EQ(easier.verdict, ObservedVerdict::kEasierThanRated);
  // 40 of 100 for "moderately": the interval lies wholly at 19 % or more.
  const ObservedDifficulty harder = judge_observed(Difficulty::kModerately, outcome(100, 40));
  EXPECT_GE(harder.low, 0.19);
  EXPECT_EQ(harder.verdict, ObservedVerdict::kHarderThanRated);
}

TEST(ObservedDifficulty, AVeryDifficultTemplateIsNeverHarderThanRated) {
  const ObservedDifficulty o = judge_observed(Difficulty::kVery, outcome(100, 100));
  EXPECT_EQ(o.verdict, ObservedVerdict::kAgrees);
  EXPECT_EQ(o.observed, Difficulty::kVery);
}

TEST(ObservedDifficulty, ALeastDifficultTemplateIsNeverEasierThanRated) {
  const ObservedDifficulty o = judge_observed(Difficulty::kLeast, outcome(1000, 0));
  EXPECT_EQ(o.verdict, ObservedVerdict::kAgrees);
  EXPECT_EQ(o.observed, Difficulty::kLeast);
}

TEST(ObservedDifficulty, ModeratelyToLeastIsHarderOnlyWhenTheWholeIntervalIsAtNineteenPercent) {
  // 25 of 100: rate above 19 %, but the interval starts below it.
  const ObservedDifficulty overlapping =
      judge_observed(Difficulty::kModeratelyToLeast, outcome(100, 25));
  EXPECT_LT(overlapping.low, 0.19);
  EXPECT_EQ(overlapping.verdict, ObservedVerdict::kAgrees);
  EXPECT_EQ(overlapping.observed, Difficulty::kVery);
  // 12 of 100 is above the least band's 10 % but inside "under 19 %".
  const ObservedDifficulty inside =
      judge_observed(Difficulty::kModeratelyToLeast, outcome(100, 12));
  EXPECT_EQ(inside.verdict, ObservedVerdict::kAgrees);
  EXPECT_EQ(inside.observed, Difficulty::kModerately);
  // 60 of 200: the whole interval is at 19 % or more.
  const ObservedDifficulty harder =
      judge_observed(Difficulty::kModeratelyToLeast, outcome(200, 60));
  EXPECT_GE(harder.low, 0.19);
  EXPECT_EQ(harder.verdict, ObservedVerdict::kHarderThanRated);
}

TEST(ObservedDifficulty, ModeratelyToLeastIsNeverEasierThanRated) {
  const ObservedDifficulty o = judge_observed(Difficulty::kModeratelyToLeast, outcome(1000, 0));
  EXPECT_EQ(o.verdict, ObservedVerdict::kAgrees);
  EXPECT_EQ(o.observed, Difficulty::kLeast);
}

TEST(ObservedDifficulty, ObservedIsNeverModeratelyToLeast) {
  for (std::int64_t clicked = 0; clicked <= 100; ++clicked) {
    const ObservedDifficulty o =
        judge_observed(Difficulty::kModeratelyToLeast, outcome(100, clicked));
    ASSERT_TRUE(o.observed.has_value());
    EXPECT_NE(*o.observed, Difficulty::kModeratelyToLeast) << clicked;
    if (o.verdict == ObservedVerdict::kHarderThanRated) {
      EXPECT_GE(o.low, 0.19) << clicked;
    }
    EXPECT_NE(o.verdict, ObservedVerdict::kEasierThanRated) << clicked;
  }
}

TEST(ObservedDifficulty, VerdictNames) {
  EXPECT_EQ(observed_verdict_name(ObservedVerdict::kTooFew), "too_few");
  EXPECT_EQ(observed_verdict_name(ObservedVerdict::kAgrees), "agrees");
  EXPECT_EQ(observed_verdict_name(ObservedVerdict::kHarderThanRated), "harder_than_rated");
  EXPECT_EQ(observed_verdict_name(ObservedVerdict::kEasierThanRated), "easier_than_rated");
}

}  // namespace
}  // namespace phishdrill
