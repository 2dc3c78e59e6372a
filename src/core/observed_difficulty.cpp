#include "core/observed_difficulty.h"

#include <algorithm>
#include <cmath>

namespace phishdrill {
namespace {

constexpr double kZ95 = 1.959963984540054;
constexpr double kVeryFrom = 0.19;
constexpr double kModeratelyFrom = 0.10;

struct Range {
  double from = 0;  // inclusive
  double to = 1;    // exclusive (1 is inclusive)
};

Range predicted_range(Difficulty d) {
  switch (d) {
    case Difficulty::kVery:
      return {kVeryFrom, 1.0};
    case Difficulty::kModerately:
      return {kModeratelyFrom, kVeryFrom};
    case Difficulty::kModeratelyToLeast:
      return {0.0, kVeryFrom};
    case Difficulty::kLeast:
      return {0.0, kModeratelyFrom};
  }
  return {0.0, 1.0};
}

}  // namespace

std::string_view observed_verdict_name(ObservedVerdict verdict) {
  switch (verdict) {
    case ObservedVerdict::kTooFew:
      return "too_few";
    case ObservedVerdict::kAgrees:
      return "agrees";
    case ObservedVerdict::kHarderThanRated:
      return "harder_than_rated";
    case ObservedVerdict::kEasierThanRated:
      return "easier_than_rated";
  }
  return "too_few";
}

RateInterval wilson_interval(std::int64_t successes, std::int64_t trials) {
  if (trials <= 0) return {};
  const double n = static_cast<double>(trials);
  const double p = std::clamp(static_cast<double>(successes) / n, 0.0, 1.0);
  const double z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  // No successes (or no failures) put that end exactly at the bound.
  return {successes <= 0 ? 0.0 : std::max(0.0, centre - half),
          successes >= trials ? 1.0 : std::min(1.0, centre + half)};
}

Difficulty difficulty_for_rate(double failure_rate) {
  if (failure_rate >= kVeryFrom) return Difficulty::kVery;
  if (failure_rate >= kModeratelyFrom) return Difficulty::kModerately;
  return Difficulty::kLeast;
}

ObservedDifficulty judge_observed(Difficulty predicted, const TemplateOutcome& outcome) {
  ObservedDifficulty o;
  o.outcome = outcome;
  if (outcome.sent <= 0) return o;
  o.failure_rate = static_cast<double>(outcome.clicked) / static_cast<double>(outcome.sent);
  const RateInterval interval = wilson_interval(outcome.clicked, outcome.sent);
  o.low = interval.low;
  o.high = interval.high;
  if (outcome.sent < kMinimumSentToJudge) return o;
  o.observed = difficulty_for_rate(o.failure_rate);
  const Range range = predicted_range(predicted);
  if (o.high < range.from) {
    o.verdict = ObservedVerdict::kEasierThanRated;
  } else if (range.to < 1.0 && o.low >= range.to) {
    o.verdict = ObservedVerdict::kHarderThanRated;
  } else {
    o.verdict = ObservedVerdict::kAgrees;
  }
  return o;
}

}  // namespace phishdrill
