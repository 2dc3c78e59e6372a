#include "service/reporting/triage.h"

#include "core/report_evidence.h"
#include "core/text_rules.h"
#include "crypto/sodium.h"
#include "service/audit.h"
#include "service/owned_resources.h"
#include "service/reporting/report_feedback.h"

namespace phishdrill::service {
namespace {

Result<void> check_verdict(const VerdictRequest& request) {
  const Verdict verdict = verdict_from_name(request.verdict);
  if (verdict == Verdict::kNone) {
    return fail(ErrorCode::kValidation, "verdict must be clean, spam or threat", "verdict");
  }
  PD_TRY(check_line(request.note, "note", 2000, false));
  return {};
}

}  // namespace

Result<Page<Report>> list_reports(Store& store, std::int64_t workspace_id,
                                  const ReportFilter& filter, PageRequest page) {
  Page<Report> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    out = repos.reports.list_reports(workspace_id, filter, page);
    return {};
  }));
  return out;
}

Result<Report> find_report(Store& store, std::int64_t workspace_id, std::int64_t id) {
  return find_owned([](Repositories& repos, std::int64_t ws, std::int64_t report_id) {
    return repos.reports.find_report(ws, report_id);
  })(store, workspace_id, id);
}

Result<Page<ReportCluster>> list_clusters(Store& store, std::int64_t workspace_id,
                                          const ClusterFilter& filter, PageRequest page) {
  Page<ReportCluster> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    out = repos.reports.list_clusters(workspace_id, filter, page);
    return {};
  }));
  return out;
}

Result<ReportCluster> find_cluster(Store& store, std::int64_t workspace_id, std::int64_t id) {
  return find_owned([](Repositories& repos, std::int64_t ws, std::int64_t cluster_id) {
    return repos.reports.find_cluster(ws, cluster_id);
  })(store, workspace_id, id);
}

Result<Report> decide_report(Store& store, const Caller& caller, std::int64_t now, std::int64_t id,
                             const VerdictRequest& request) {
  PD_TRY(check_verdict(request));
  Report decided;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.reports.set_report_verdict(caller.workspace_id, id, request.verdict, request.note,
                                          caller.user_id, now)) {
      return not_found();
    }
    audit(repos, caller, now, "report.verdict", "report", id, {{"verdict", request.verdict}});
    queue_verdict_feedback(repos, caller.workspace_id, id, now);
    decided = *repos.reports.find_report(caller.workspace_id, id);
    return {};
  }));
  return decided;
}

Result<ReportCluster> decide_cluster(Store& store, const Caller& caller, std::int64_t now,
                                     std::int64_t id, const VerdictRequest& request) {
  PD_TRY(check_verdict(request));
  ReportCluster decided;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.reports.set_cluster_verdict(caller.workspace_id, id, request.verdict, request.note,
                                           caller.user_id, now)) {
      return not_found();
    }
    decided = *repos.reports.find_cluster(caller.workspace_id, id);
    audit(repos, caller, now, "report_cluster.verdict", "report_cluster", id,
          {{"verdict", request.verdict}, {"reports", decided.report_count}});
    queue_cluster_verdict_feedback(repos, caller.workspace_id, id, now);
    return {};
  }));
  return decided;
}

Result<std::string> report_original(Store& store, const SecretKey& key, const Caller& caller,
                                    std::int64_t now, std::int64_t id) {
  std::optional<std::string> sealed;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    sealed = repos.reports.original(caller.workspace_id, id);
    if (!sealed) return not_found();
    audit(repos, caller, now, "report.download", "report", id, {});
    return {};
  }));
  auto opened = crypto::open(key, *sealed);
  if (!opened) {
    return fail(ErrorCode::kInternal,
                "the original cannot be opened with this installation's secret key");
  }
  return *std::move(opened);
}

Result<ReportTimes> campaign_report_times(Store& store, std::int64_t workspace_id,
                                          std::int64_t campaign_id) {
  ReportTimes times;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    times.credited = repos.reports.count_timed_reports(workspace_id, campaign_id);
    if (times.credited == 0) return {};
    // The lower middle of an even count: a time someone actually took.
    times.median_seconds =
        repos.reports.nth_time_to_report(workspace_id, campaign_id, (times.credited - 1) / 2);
    return {};
  }));
  return times;
}

Result<int> drop_expired_originals(Store& store, std::int64_t now, int retention_days) {
  int dropped = 0;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    dropped = repos.reports.drop_originals_before(now - std::int64_t{retention_days} * 86400);
    return {};
  }));
  return dropped;
}

}  // namespace phishdrill::service
