#include "core/report.h"

namespace phishdrill {

const char* report_status_name(ReportStatus status) {
  switch (status) {
    case ReportStatus::kSimulation:
      return "simulation";
    case ReportStatus::kRefused:
      return "refused";
    case ReportStatus::kTriage:
      break;
  }
  return "triage";
}

ReportStatus report_status_from_name(std::string_view name) {
  if (name == "simulation") return ReportStatus::kSimulation;
  if (name == "refused") return ReportStatus::kRefused;
  return ReportStatus::kTriage;
}

}  // namespace phishdrill
