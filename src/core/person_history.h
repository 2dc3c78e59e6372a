// What one person did with the simulations they were sent and the training
// they were given: the facts a risk score (core/risk_score.h) and the
// organisation's metrics (core/phish_metrics.h) are computed from. What
// they did with one simulation is its recipient's human funnel
// (core/funnel.h, mail scanners already left out): "failed" means the
// funnel reached a click or a submission. Opening an attachment simulation's
// file and following its link is a click: the file carries the person's
// link. Times are Unix seconds. Plain data; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/funnel.h"

namespace phishdrill {

struct SimulationRecord {
  std::int64_t delivered_at = 0;
  Funnel funnel;

  bool failed() const { return funnel.rank >= 2; }
  bool reported() const { return funnel.reported_at != 0; }
};

// The worst a person did with one simulation, worst last.
enum class SimulationOutcome { kReported, kNoAction, kClicked, kSubmitted };

SimulationOutcome outcome_of(const SimulationRecord& record);
std::string_view outcome_name(SimulationOutcome outcome);  // "reported", "no_action", ...

struct TrainingRecord {
  std::int64_t assigned_at = 0;
  std::int64_t due_at = 0;
  std::optional<std::int64_t> completed_at;  // passed: a failed attempt is not a completion
};

// Roles an organisation marks as raising a person's risk.
enum class Sensitivity { kPatientData, kPayments, kSystemAdministration };

std::string_view sensitivity_name(Sensitivity s);   // "patient_data", "payments", ...
std::string_view sensitivity_label(Sensitivity s);  // "handles patient data", ...
std::optional<Sensitivity> parse_sensitivity(std::string_view name);

struct PersonHistory {
  std::vector<SimulationRecord> simulations;
  std::vector<TrainingRecord> training;
  std::vector<Sensitivity> sensitivities;
};

}  // namespace phishdrill
