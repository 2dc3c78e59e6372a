// A person's phishing risk, 0 (least) to 100 (most), that explains itself:
// the score is the sum of named parts, each with its points and the facts
// behind them, so the person page can show why. The formula (docs/risk.md
// states it for users):
//   base                       20   anyone can be phished
//   each simulation delivered in the last 365 days, its worst outcome,
//   weighted by recency w = 0.5 ^ (age in days / 90) — a failure three
//   months ago counts half as much as one today:
//     submitted the form     +30 w
//     clicked                +20 w  (an attachment's link included)
//     reported, not failed   -10 w
//     failed, then reported   -5 w  (on top of the failure's points)
//   each training passed in the last 365 days       -8 w (from completion)
//   each training overdue now                        +8
//   the sum so far is held to 0..100, then each sensitive role the
//   organisation marked (patient data, payments, system administration;
//   each counted once) adds +10, and the total is held to 0..100 again and
//   rounded to the nearest whole number.
// Parts that add nothing are left out. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/person_history.h"

namespace phishdrill {

struct RiskPart {
  std::string key;     // "base", "submitted", "clicked", "reported", "training_passed", ...
  double points = 0;   // what it adds (negative: lowers the score)
  int count = 0;       // how many facts it stands for
  std::string detail;  // in words: "2 clicks, the latest 12 days ago"
};

struct RiskScore {
  int score = 0;  // 0..100
  std::vector<RiskPart> parts;
};

inline constexpr double kRiskHalfLifeDays = 90;
inline constexpr std::int64_t kRiskWindowDays = 365;

RiskScore risk_score(const PersonHistory& history, std::int64_t now);

// The recency weight of something `age_seconds` old: 1 now, 0.5 after 90
// days, 0 past the 365-day window. A time after now counts as now.
double recency_weight(std::int64_t age_seconds);

}  // namespace phishdrill
