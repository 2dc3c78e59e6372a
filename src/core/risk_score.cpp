#include "core/risk_score.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace phishdrill {
namespace {

constexpr double kBase = 20;
constexpr double kSubmitted = 30, kOpenedAttachment = 25, kClicked = 20;
constexpr double kReported = -10, kReportedAfterFailing = -5;
constexpr double kTrainingPassed = -8, kTrainingOverdue = 8;
constexpr double kPerSensitivity = 10;
constexpr std::int64_t kDay = 86400;

// Sums one kind of fact: points, count and the most recent time.
struct Tally {
  double points = 0;
  int count = 0;
  std::int64_t latest = 0;

  void add(double p, std::int64_t at) {
    points += p;
    ++count;
    latest = std::max(latest, at);
  }
};

std::string days_ago(std::int64_t at, std::int64_t now) {
  const std::int64_t days = std::max<std::int64_t>(0, now - at) / kDay;
  if (days == 0) return "today";
  return days == 1 ? "1 day ago" : fmt::format("{} days ago", days);
}

std::string counted(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

struct Kind {
  std::string_view key;
  std::string_view one;
  std::string_view many;
};

// In the order the person page lists them.
constexpr Kind kKinds[] = {
    {"submitted", "form submitted", "forms submitted"},
    {"opened_attachment", "attachment opened", "attachments opened"},
    {"clicked", "link clicked", "links clicked"},
    {"reported_after_failing", "report after failing", "reports after failing"},
    {"reported", "simulation reported", "simulations reported"},
    {"training_passed", "training passed", "trainings passed"},
};

void tally_simulations(const PersonHistory& history, std::int64_t now,
                       std::map<std::string_view, Tally>& tallies) {
  for (const auto& s : history.simulations) {
    const double w = recency_weight(now - s.delivered_at);
    if (w == 0) continue;
    switch (outcome_of(s)) {
      case SimulationOutcome::kSubmitted:
        tallies["submitted"].add(kSubmitted * w, s.delivered_at);
        break;
      case SimulationOutcome::kOpenedAttachment:
        tallies["opened_attachment"].add(kOpenedAttachment * w, s.delivered_at);
        break;
      case SimulationOutcome::kClicked:
        tallies["clicked"].add(kClicked * w, s.delivered_at);
        break;
      case SimulationOutcome::kReported:
        tallies["reported"].add(kReported * w, s.delivered_at);
        break;
      case SimulationOutcome::kNoAction:
        break;
    }
    if (s.failed() && s.reported_at) {
      tallies["reported_after_failing"].add(kReportedAfterFailing * w, s.delivered_at);
    }
  }
}

}  // namespace

double recency_weight(std::int64_t age_seconds) {
  const double days = static_cast<double>(std::max<std::int64_t>(0, age_seconds)) / kDay;
  if (days > kRiskWindowDays) return 0;
  return std::pow(0.5, days / kRiskHalfLifeDays);
}

RiskScore risk_score(const PersonHistory& history, std::int64_t now) {
  std::map<std::string_view, Tally> tallies;
  tally_simulations(history, now, tallies);
  int overdue = 0;
  for (const auto& t : history.training) {
    if (t.completed_at) {
      const double w = recency_weight(now - *t.completed_at);
      if (w > 0) tallies["training_passed"].add(kTrainingPassed * w, *t.completed_at);
    } else if (t.due_at < now) {
      ++overdue;
    }
  }

  RiskScore out;
  out.parts.push_back({"base", kBase, 1, "anyone can be phished"});
  double sum = kBase;
  for (const Kind& kind : kKinds) {
    const auto it = tallies.find(kind.key);
    if (it == tallies.end()) continue;
    const Tally& t = it->second;
    out.parts.push_back(
        {std::string(kind.key), t.points, t.count,
         counted(t.count, kind.one, kind.many) + ", the latest " + days_ago(t.latest, now)});
    sum += t.points;
  }
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
