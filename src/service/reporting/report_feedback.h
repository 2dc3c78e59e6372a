// Feedback to reporters, the use cases around its queue: the workspace's
// settings (read by operators, changed by admins, audited), and what a new
// report or a verdict queues.
//  - A new report from a reporting mailbox queues its acknowledgement;
//    a triage report whose message was already decided queues the verdict
//    instead. The report button shows its answer on screen, so a button
//    report gets no acknowledgement, only the verdict later.
//  - A button report of real mail is forwarded to `forward_to` (the
//    reporting mailbox), whether or not feedback is on.
//  - A verdict on a report or a cluster queues the verdict email of every
//    triage report concerned; one already sent is sent again only when the
//    verdict changed.
// Feedback goes only to people in the targets list (by address or alias),
// at their address on file: a report's From can be forged, so Phishdrill
// never answers an address it does not know (no backscatter), and never
// answers a machine (RFC 3834 Auto-Submitted). Nothing is queued while
// feedback is off. Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.h"
#include "core/report_feedback.h"
#include "service/caller.h"
#include "service/reporting/ingest_report.h"
#include "store/store.h"

namespace phishdrill::service {

Result<ReportFeedbackSettings> report_feedback_settings(Store& store, const Caller& caller);
// Validates (core/report_feedback.h) and saves; kValidation (field
// "profile_id") for another workspace's or an unknown profile.
Result<ReportFeedbackSettings> update_report_feedback_settings(Store& store, const Caller& caller,
                                                               ReportFeedbackSettings settings,
                                                               std::int64_t now);

// Inside the transaction that recorded the reports.
void queue_feedback_for_new_reports(Repositories& repos, std::int64_t workspace_id,
                                    std::span<const std::int64_t> report_ids,
                                    const ReportOrigin& origin, std::int64_t now);
// Inside the transaction that set the verdict.
void queue_verdict_feedback(Repositories& repos, std::int64_t workspace_id, std::int64_t report_id,
                            std::int64_t now);
void queue_cluster_verdict_feedback(Repositories& repos, std::int64_t workspace_id,
                                    std::int64_t cluster_id, std::int64_t now);

// The emails of one report, for its page.
Result<std::vector<ReportMailState>> report_feedback_of(Store& store, std::int64_t workspace_id,
                                                        std::int64_t report_id);

}  // namespace phishdrill::service
