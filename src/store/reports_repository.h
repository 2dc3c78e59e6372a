// Port: reports of suspicious mail, their clusters, the originals (sealed by
// the service before they arrive) and the extra addresses people report
// from. A report is unique per workspace, reporter and reported Message-ID
// (a constraint: the same message reported twice by one person, e.g. through
// the button and the mailbox, is one report — kConflict). A report joins its
// cluster by fingerprint, created on first use (unique per workspace).
// Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/report.h"
#include "store/page.h"

namespace phishdrill {

struct ReportFilter {
  std::optional<ReportStatus> status;
  std::int64_t cluster_id = 0;  // 0 = any
  std::string verdict;          // "" = any; "none" = not yet decided
};

struct ClusterFilter {
  std::string verdict;  // "" = any; "none" = not yet decided
};

// Lists are newest first: PageRequest.after_id is the last id of the page before.
class ReportsRepository {
 public:
  virtual ~ReportsRepository() = default;

  // kConflict (field "message_id") when the reporter already reported this
  // Message-ID; the new report's id otherwise.
  virtual Result<std::int64_t> insert_report(const Report& report) = 0;
  virtual std::optional<Report> find_report(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<Report> list_reports(std::int64_t workspace_id, const ReportFilter& filter,
                                    PageRequest page) = 0;
  // Every report of a cluster, oldest first (for verdicts and their feedback).
  virtual std::vector<Report> cluster_reports(std::int64_t workspace_id,
                                              std::int64_t cluster_id) = 0;

  // The original message, sealed; kept apart so lists never read it.
  virtual void keep_original(std::int64_t report_id, const std::string& sealed) = 0;
  virtual std::optional<std::string> original(std::int64_t workspace_id,
                                              std::int64_t report_id) = 0;
  // Drops the originals of reports received before `before`; returns how many.
  virtual int drop_originals_before(std::int64_t before) = 0;

  // The cluster with `fingerprint` counted one report more (created when
  // new), its score raised to `score` and its suggestion to that report's
  // when higher. Returns the cluster's id.
  virtual std::int64_t join_cluster(std::int64_t workspace_id, const ReportCluster& seen) = 0;
  virtual void place_in_cluster(std::int64_t report_id, std::int64_t cluster_id) = 0;
  virtual std::optional<ReportCluster> find_cluster(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<ReportCluster> list_clusters(std::int64_t workspace_id, const ClusterFilter& filter,
                                            PageRequest page) = 0;

  // An operator's verdict on one report; false when it does not exist.
  virtual bool set_report_verdict(std::int64_t workspace_id, std::int64_t id,
                                  const std::string& verdict, const std::string& note,
                                  std::int64_t by, std::int64_t at) = 0;
  // On a cluster and every report in it; false when the cluster does not exist.
  virtual bool set_cluster_verdict(std::int64_t workspace_id, std::int64_t id,
                                   const std::string& verdict, const std::string& note,
                                   std::int64_t by, std::int64_t at) = 0;

  // A campaign's credited reports (those of the person it was sent to) with
  // a known time to report: how many, and the n-th shortest (0-based).
  virtual std::int64_t count_timed_reports(std::int64_t workspace_id, std::int64_t campaign_id) = 0;
  virtual std::optional<std::int64_t> nth_time_to_report(std::int64_t workspace_id,
                                                         std::int64_t campaign_id,
                                                         std::int64_t n) = 0;
};

}  // namespace phishdrill
