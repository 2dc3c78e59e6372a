#include "core/person_history.h"

#include <array>
#include <utility>

namespace phishdrill {
namespace {

struct SensitivityNames {
  Sensitivity value;
  std::string_view name;
  std::string_view label;
};

constexpr std::array<SensitivityNames, 3> kSensitivities = {{
    {Sensitivity::kPatientData, "patient_data", "handles patient data"},
    {Sensitivity::kPayments, "payments", "approves payments"},
    {Sensitivity::kSystemAdministration, "system_administration", "administers systems"},
}};

}  // namespace

SimulationOutcome outcome_of(const SimulationRecord& r) {
  if (r.funnel.rank >= 3) return SimulationOutcome::kSubmitted;
  if (r.funnel.rank >= 2) return SimulationOutcome::kClicked;
  if (r.reported()) return SimulationOutcome::kReported;
  return SimulationOutcome::kNoAction;
}

std::string_view outcome_name(SimulationOutcome outcome) {
  switch (outcome) {
    case SimulationOutcome::kReported:
      return "reported";
    case SimulationOutcome::kNoAction:
      return "no_action";
    case SimulationOutcome::kClicked:
      return "clicked";
    case SimulationOutcome::kSubmitted:
      return "submitted";
  }
  return "no_action";
}

std::string_view sensitivity_name(Sensitivity s) {
  for (const auto& known : kSensitivities) {
    if (known.value == s) return known.name;
  }
  return "";
}

std::string_view sensitivity_label(Sensitivity s) {
  for (const auto& known : kSensitivities) {
    if (known.value == s) return known.label;
  }
  return "";
}

std::optional<Sensitivity> parse_sensitivity(std::string_view name) {
  for (const auto& known : kSensitivities) {
    if (known.name == name) return known.value;
  }
  return std::nullopt;
}

}  // namespace phishdrill
