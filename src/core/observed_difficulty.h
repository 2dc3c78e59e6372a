// How hard a template proved for the organisation's own people, against the
// difficulty the Phish Scale predicted (core/phish_scale.h).
//
// The failure rate is the share of people delivered the message who clicked
// its link or submitted its form (people, not mail scanners: the results'
// human funnel). Its 95 % Wilson score interval says how sure that rate is
// for the number sent. NIST's study behind the scale found the messages it
// rated very difficult clicked by 19 % of people or more, and the least
// difficult by under 10 %; those ranges are what each rating predicts:
//   very: 19 % or more; moderately: 10 % to 19 %; least: under 10 %;
//   moderately to least: under 19 %.
// With fewer than kMinimumSentToJudge delivered nothing is concluded. Else
// the observed difficulty is the range the rate falls in, and the rating
// disagrees when the whole interval lies outside the predicted range: the
// template was harder (more people fell for it) or easier than rated.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/phish_scale.h"

namespace phishdrill {

inline constexpr std::int64_t kMinimumSentToJudge = 30;

// People who were delivered one template, and what they did (submitted
// people count as having clicked too).
struct TemplateOutcome {
  std::int64_t sent = 0;
  std::int64_t clicked = 0;
  std::int64_t submitted = 0;
};

enum class ObservedVerdict { kTooFew, kAgrees, kHarderThanRated, kEasierThanRated };
std::string_view observed_verdict_name(ObservedVerdict verdict);

struct ObservedDifficulty {
  TemplateOutcome outcome;
  double failure_rate = 0;  // clicked / sent (0 when none sent)
  double low = 0;           // 95 % Wilson interval of failure_rate
  double high = 0;
  std::optional<Difficulty> observed;  // when enough were sent
  ObservedVerdict verdict = ObservedVerdict::kTooFew;
};

// The 95 % Wilson score interval of `successes` out of `trials` ({0, 0}
// for no trials).
struct RateInterval {
  double low = 0;
  double high = 0;
};
RateInterval wilson_interval(std::int64_t successes, std::int64_t trials);

// The difficulty whose predicted range holds `failure_rate` (never
// "moderately to least", which only the table predicts).
Difficulty difficulty_for_rate(double failure_rate);

ObservedDifficulty judge_observed(Difficulty predicted, const TemplateOutcome& outcome);

}  // namespace phishdrill
