// Taking in one report of suspicious mail — from a reporting mailbox or the
// report button: the reported message is found inside it (attached, or
// quoted in an inline forward), matched to a simulation by the tracking id in
// its links (unwrapped from Safe Links, URL Defense and the like) or its
// Message-ID, and then either
//  - credited to the person it was sent to (when the reporter is that person,
//    by address or alias) as a "reported" event with the time to report —
//    never follow-up training, and nothing already assigned is withdrawn; or
//  - kept for triage: judged (core/report_evidence.h), grouped with the
//    reports of the same message, the original sealed under the
//    installation's key; or
//  - refused with the reason, when nothing in it can be read.
// A person reporting the same Message-ID twice (button and mailbox) is one
// report: the second is a "duplicate". Each new report queues what its
// reporter hears back, and a button report of real mail its forward to the
// reporting mailbox (service/reporting/report_feedback.h). Parsing happens before the
// transaction (prepare_report); recording inside it (record_report), so a
// mailbox poll records the report and the message it came from together.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/reported_message.h"
#include "core/secret_key.h"
#include "store/store.h"

namespace phishdrill::service {

struct ReportOrigin {
  std::string source = "mailbox";  // "mailbox" or "button"
  std::int64_t mailbox_id = 0;
  // The reporter when known better than the report's From (the button knows
  // whose mailbox it runs in); "" = the report's From.
  std::string reporter;
};

// A parsed report, ready to record.
struct PreparedReport {
  std::string raw;                // the report as received
  std::string reporter;           // lower case ("" when the report has no readable From)
  std::string report_message_id;  // the report's own Message-ID
  bool automatic = false;         // sent by a machine (RFC 3834): nobody to answer
  std::vector<ReportedMessage> messages;
  std::vector<std::string> refusals;  // parts that could not be read, for a person
};

struct IngestedReport {
  // "simulation" (credited), "simulation_other" (a simulation reported by
  // someone it was not sent to), "simulation_ended" (its campaign is over),
  // "triage", "refused" or "duplicate" — of the first reported message; or
  // "forwarded": the report is Phishdrill's own forward of a button report
  // (service/reporting/send_report_mail.h), already recorded.
  std::string outcome;
  std::vector<std::int64_t> report_ids;  // the reports made (none for a duplicate)
  std::string reporter;
};

// Parses `raw` (no store access). Never fails: what cannot be read becomes
// refusals, and a report with nothing readable is recorded as refused.
PreparedReport prepare_report(std::string raw);

Result<IngestedReport> record_report(Repositories& repos, const SecretKey& key,
                                     std::int64_t workspace_id, const PreparedReport& report,
                                     const ReportOrigin& origin, std::string_view rid_parameter,
                                     std::int64_t now);

// Both, in a transaction of its own (the report button).
Result<IngestedReport> ingest_report(Store& store, const SecretKey& key, std::int64_t workspace_id,
                                     std::string raw, const ReportOrigin& origin,
                                     std::string_view rid_parameter, std::int64_t now);

}  // namespace phishdrill::service
