#include "core/risk_score.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace phishdrill {
namespace {

constexpr double kBase = 20;
constexpr double kTrainingOverdue = 8;
constexpr double kPerSensitivity = 10;
constexpr std::int64_t kDay = 86400;

// The parts that add up recency-weighted facts, in the order the person page
// lists them, with the points of one fact today.
enum Kind { kSubmitted, kClicked, kReportedAfterFailing, kReported, kTrainingPassed, kKindCount };

struct KindText {
  std::string_view key;
  double points;
  std::string_view one;
  std::string_view many;
};

constexpr KindText kKinds[kKindCount] = {
    {"submitted", 30, "form submitted", "forms submitted"},
    {"clicked", 20, "link clicked", "links clicked"},
    {"reported_after_failing", -5, "report after failing", "reports after failing"},
    {"reported", -10, "simulation reported", "simulations reported"},
    {"training_passed", -8, "training passed", "trainings passed"},
};

// One kind's facts: points, count and the most recent time.
struct Tally {
  double points = 0;
  int count = 0;
  std::int64_t latest = 0;
};

using Tallies = std::array<Tally, kKindCount>;

void add(Tallies& tallies, Kind kind, std::int64_t at, std::int64_t now) {
  const double w = recency_weight(now - at);
  if (w == 0) return;
  Tally& t = tallies[kind];
  t.points += kKinds[kind].points * w;
  ++t.count;
  t.latest = std::max(t.latest, at);
}

std::string days_ago(std::int64_t at, std::int64_t now) {
  const std::int64_t days = std::max<std::int64_t>(0, now - at) / kDay;
  if (days == 0) return "today";
  return days == 1 ? "1 day ago" : fmt::format("{} days ago", days);
}

std::string counted(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

Tallies tally(const PersonHistory& history, std::int64_t now) {
  Tallies tallies{};
  for (const auto& s : history.simulations) {
    switch (outcome_of(s)) {
      case SimulationOutcome::kSubmitted:
        add(tallies, kSubmitted, s.delivered_at, now);
        break;
      case SimulationOutcome::kClicked:
        add(tallies, kClicked, s.delivered_at, now);
        break;
      case SimulationOutcome::kReported:
        add(tallies, kReported, s.delivered_at, now);
        break;
      case SimulationOutcome::kNoAction:
        break;
    }
    if (s.failed() && s.reported()) add(tallies, kReportedAfterFailing, s.delivered_at, now);
  }
  for (const auto& t : history.training) {
    if (t.completed_at) add(tallies, kTrainingPassed, *t.completed_at, now);
  }
  return tallies;
}

}  // namespace

double recency_weight(std::int64_t age_seconds) {
  const double days = static_cast<double>(std::max<std::int64_t>(0, age_seconds)) / kDay;
  if (days > kRiskWindowDays) return 0;
  return std::pow(0.5, days / kRiskHalfLifeDays);
}

RiskScore risk_score(const PersonHistory& history, std::int64_t now) {
  const Tallies tallies = tally(history, now);
  RiskScore out;
  out.parts.push_back({"base", kBase, 1, "anyone can be phished"});
  double sum = kBase;
  for (int k = 0; k < kKindCount; ++k) {
    const Tally& t = tallies[k];
    if (t.count == 0) continue;
    const KindText& kind = kKinds[k];
    out.parts.push_back(
        {std::string(kind.key), t.points, t.count,
         counted(t.count, kind.one, kind.many) + ", the latest " + days_ago(t.latest, now)});
    sum += t.points;
  }
  const auto overdue = static_cast<int>(
      std::count_if(history.training.begin(), history.training.end(),
                    [&](const TrainingRecord& t) { return !t.completed_at && t.due_at < now; }));
  if (overdue > 0) {
    out.parts.push_back({"training_overdue", kTrainingOverdue * overdue, overdue,
                         counted(overdue, "training overdue", "trainings overdue")});
    sum += kTrainingOverdue * overdue;
  }
  sum = std::clamp(sum, 0.0, 100.0);
  std::vector<Sensitivity> roles = history.sensitivities;
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  for (const Sensitivity s : roles) {
    out.parts.push_back({fmt::format("role_{}", sensitivity_name(s)), kPerSensitivity, 1,
                         fmt::format("a sensitive role: {}", sensitivity_label(s))});
    sum += kPerSensitivity;
  }
  out.score = static_cast<int>(std::lround(std::clamp(sum, 0.0, 100.0)));
  return out;
}

}  // namespace phishdrill
