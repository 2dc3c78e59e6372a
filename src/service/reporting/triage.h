// The triage inbox's use cases: read reports and clusters, set an operator's
// verdict on one report or a whole cluster (with a note, audited; its
// reporters hear it, service/reporting/report_feedback.h), download
// a report's original (opened from its seal; audited), and drop originals
// past the retention period. Another workspace's report or cluster behaves
// as unknown (kNotFound). Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/report.h"
#include "core/secret_key.h"
#include "service/caller.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

Result<Page<Report>> list_reports(Store& store, std::int64_t workspace_id,
                                  const ReportFilter& filter, PageRequest page);
Result<Report> find_report(Store& store, std::int64_t workspace_id, std::int64_t id);
Result<Page<ReportCluster>> list_clusters(Store& store, std::int64_t workspace_id,
                                          const ClusterFilter& filter, PageRequest page);
Result<ReportCluster> find_cluster(Store& store, std::int64_t workspace_id, std::int64_t id);

// kValidation (field "verdict") unless "clean", "spam" or "threat"; the
// note is one paragraph of at most 2,000 characters (field "note").
struct VerdictRequest {
  std::string verdict;
  std::string note;
};
Result<Report> decide_report(Store& store, const Caller& caller, std::int64_t now, std::int64_t id,
                             const VerdictRequest& request);
Result<ReportCluster> decide_cluster(Store& store, const Caller& caller, std::int64_t now,
                                     std::int64_t id, const VerdictRequest& request);

// The original message as received (RFC 5322 bytes). kNotFound when the
// report is unknown or its original was dropped or never kept.
Result<std::string> report_original(Store& store, const SecretKey& key, const Caller& caller,
                                    std::int64_t now, std::int64_t id);

// How fast a campaign's people reported it: the reports credited to the
// person it was sent to, and the median time from delivery to report
// (nullopt when none). The campaign's own workspace only.
struct ReportTimes {
  std::int64_t credited = 0;
  std::optional<std::int64_t> median_seconds;
};
Result<ReportTimes> campaign_report_times(Store& store, std::int64_t workspace_id,
                                          std::int64_t campaign_id);

// Drops originals of reports received more than `retention_days` ago;
// returns how many.
Result<int> drop_expired_originals(Store& store, std::int64_t now, int retention_days);

}  // namespace phishdrill::service
