#include "service/reporting/report_feedback.h"

#include "service/audit.h"
#include "service/require_role.h"

namespace phishdrill::service {
namespace {

bool answerable(const Report& report) {
  return report.reporter_target_id != 0 && !report.automatic;
}

// What a new report's reporter hears first: the verdict when its message was
// already decided, otherwise the acknowledgement.
const char* first_feedback(const Report& report) {
  if (report.status == ReportStatus::kTriage && !report.verdict.empty()) return "verdict";
  return "acknowledge";
}

}  // namespace

Result<ReportFeedbackSettings> report_feedback_settings(Store& store, const Caller& caller) {
  PD_TRY(require_role(caller, Role::kOperator));
  ReportFeedbackSettings out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    out = repos.report_mail.feedback_settings(caller.workspace_id);
    return {};
  }));
  return out;
}

Result<ReportFeedbackSettings> update_report_feedback_settings(Store& store, const Caller& caller,
                                                               ReportFeedbackSettings settings,
                                                               std::int64_t now) {
  PD_TRY(require_role(caller, Role::kAdmin));
  PD_TRY(validate_report_feedback(settings));
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    if (settings.profile_id != 0 &&
        !repos.profiles.find_profile(caller.workspace_id, settings.profile_id)) {
      return fail(ErrorCode::kValidation, "no such sending profile", "profile_id");
    }
    repos.report_mail.save_feedback_settings(caller.workspace_id, settings);
    audit(repos, caller, now, "report_feedback.update", "report_feedback", 0,
          {{"enabled", settings.enabled ? "true" : "false"},
           {"forwarding", settings.forward_to.empty() ? "off" : "on"}});
    return {};
  }));
  return settings;
}

void queue_feedback_for_new_reports(Repositories& repos, std::int64_t workspace_id,
                                    std::span<const std::int64_t> report_ids,
                                    const ReportOrigin& origin, std::int64_t now) {
  if (report_ids.empty()) return;
  const auto settings = repos.report_mail.feedback_settings(workspace_id);
  const bool button = origin.source == "button";
  for (const std::int64_t id : report_ids) {
    const auto report = repos.reports.find_report(workspace_id, id);
    if (!report) continue;
    if (button && report->status == ReportStatus::kTriage && !settings.forward_to.empty()) {
      repos.report_mail.queue_report_mail(workspace_id, id, "forward", now);
    }
    if (!settings.enabled || !answerable(*report)) continue;
    const std::string kind = first_feedback(*report);
    if (button && kind == "acknowledge") continue;
    repos.report_mail.queue_report_mail(workspace_id, id, kind, now);
  }
}

void queue_verdict_feedback(Repositories& repos, std::int64_t workspace_id, std::int64_t report_id,
                            std::int64_t now) {
  if (!repos.report_mail.feedback_settings(workspace_id).enabled) return;
  const auto report = repos.reports.find_report(workspace_id, report_id);
  if (!report || report->status != ReportStatus::kTriage || !answerable(*report)) return;
  repos.report_mail.queue_report_mail(workspace_id, report_id, "verdict", now);
}

void queue_cluster_verdict_feedback(Repositories& repos, std::int64_t workspace_id,
                                    std::int64_t cluster_id, std::int64_t now) {
  if (!repos.report_mail.feedback_settings(workspace_id).enabled) return;
  repos.report_mail.queue_cluster_verdict_mail(workspace_id, cluster_id, now);
}

Result<std::vector<ReportMailState>> report_feedback_of(Store& store, std::int64_t workspace_id,
                                                        std::int64_t report_id) {
  std::vector<ReportMailState> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    out = repos.report_mail.report_mail_of(workspace_id, report_id);
    return {};
  }));
  return out;
}

}  // namespace phishdrill::service
