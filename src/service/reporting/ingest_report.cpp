#include "service/reporting/ingest_report.h"

#include <algorithm>
#include <optional>

#include "core/ascii.h"
#include "core/link_unwrap.h"
#include "core/report.h"
#include "core/report_evidence.h"
#include "crypto/sodium.h"
#include "mail/report_parser.h"
#include "service/record_hits.h"
#include "service/reporting/evidence_json.h"
#include "service/reporting/report_feedback.h"
#include "service/reporting/report_fingerprint.h"

namespace phishdrill::service {
namespace {

constexpr int kMaxOrganisationDomains = 20;

// A simulation found in the reported message, and how.
struct SimulationMatch {
  RidInfo info;
  std::string how;  // for the report's note
};

std::optional<SimulationMatch> find_simulation(Repositories& repos, std::int64_t workspace_id,
                                               const ReportedMessage& message,
                                               std::string_view rid_parameter) {
  for (const auto& link : message.links) {
    const auto rid = query_parameter(unwrap_link(link.href), rid_parameter);
    if (!rid || rid->empty()) continue;
    auto info = repos.events.find_rid(*rid);
    if (!info || info->workspace_id != workspace_id) continue;
    return SimulationMatch{*std::move(info), link.image ? "matched by its tracking image"
                                                        : "matched by the tracking id in a link"};
  }
  if (message.message_id.empty()) return std::nullopt;
  const auto rid = repos.reporters.rid_with_message_id(workspace_id, message.message_id);
  if (!rid) return std::nullopt;
  auto info = repos.events.find_rid(*rid);
  if (!info) return std::nullopt;
  return SimulationMatch{*std::move(info), "matched by its Message-ID"};
}

Report base_report(std::int64_t workspace_id, const PreparedReport& prepared,
                   const ReportOrigin& origin, const ReportedMessage* message, std::int64_t now) {
  Report r;
  r.workspace_id = workspace_id;
  r.source = origin.source;
  r.mailbox_id = origin.mailbox_id;
  r.reporter = prepared.reporter;
  r.received_at = now;
  r.automatic = prepared.automatic;
  if (message != nullptr) {
    r.subject = message->subject;
    r.from_address = message->from_address;
    r.from_name = message->from_name;
    r.message_id = message->message_id;
  }
  return r;
}

// The reported event on the recipient's timeline: a human step that reaches
// no funnel rank, so it moves nothing towards follow-up training.
HitOutcome credit(Repositories& repos, const RidInfo& info, const Report& report,
                  std::int64_t report_id) {
  Hit hit;
  hit.event.workspace_id = info.workspace_id;
  hit.event.campaign_id = info.campaign_id;
  hit.event.recipient_id = info.recipient_id;
  hit.event.kind = "reported";
  hit.event.at = report.received_at;
  hit.event.details_json =
      "{\"source\":\"" + report.source + "\",\"report_id\":" + std::to_string(report_id) + "}";
  hit.email = info.fields.email;
  hit.report = true;
  return record_hits_within(repos, std::span<const Hit>(&hit, 1)).front();
}

// The person's result already holds a report of this message.
bool already_reported(Repositories& repos, std::int64_t recipient_id) {
  const std::int64_t ids[] = {recipient_id};
  const auto funnels = repos.results.recipient_funnels(ids);
  const auto found = funnels.find(recipient_id);
  return found != funnels.end() && found->second.funnel.reported_at > 0;
}

Result<std::int64_t> record_simulation(Repositories& repos, Report report,
                                       const SimulationMatch& match, std::string& outcome) {
  const RidInfo& info = match.info;
  report.status = ReportStatus::kSimulation;
  report.campaign_id = info.campaign_id;
  const bool theirs = report.reporter_target_id != 0 && report.reporter_target_id == info.target_id;
  // A finished campaign credits nobody, so its report must not look credited
  // either (a campaign's time to report counts the rows with a recipient).
  const bool over = info.campaign_status != CampaignStatus::kActive;
  report.note = match.how;
  if (theirs && !over) {
    report.recipient_id = info.recipient_id;
    if (info.sent_at > 0)
      report.seconds_to_report = std::max<std::int64_t>(0, report.received_at - info.sent_at);
  } else if (theirs) {
    report.note += "; its campaign is over, so nobody is credited";
  } else {
    report.note += "; reported by someone it was not sent to, so nobody is credited";
  }
  if (theirs && !over && already_reported(repos, info.recipient_id)) {
    // From another of their addresses, or through another way of reporting.
    return fail(ErrorCode::kConflict, "this person has already reported this message",
                "message_id");
  }
  const std::int64_t id = PD_TRY(repos.reports.insert_report(report));
  outcome = !theirs ? "simulation_other" : over ? "simulation_ended" : "simulation";
  if (outcome == "simulation" && credit(repos, info, report, id) == HitOutcome::kRejected) {
    outcome = "simulation_ended";
  }
  return id;
}

OrganisationProfile organisation(Repositories& repos, std::int64_t workspace_id,
                                 const ReportedMessage& message) {
  OrganisationProfile org;
  org.domains = repos.reporters.organisation_domains(workspace_id, kMaxOrganisationDomains);
  if (!message.from_name.empty() && repos.reporters.person_named(workspace_id, message.from_name)) {
    org.people_names.push_back(message.from_name);
  }
  return org;
}

Result<std::int64_t> record_triage(Repositories& repos, Report report,
                                   const ReportedMessage& message) {
  const Evidence evidence =
      judge_reported_message(message, organisation(repos, report.workspace_id, message));
  report.status = ReportStatus::kTriage;
  report.score = evidence.score;
  report.suggested_verdict = verdict_name(evidence.suggested);
  report.evidence_json = evidence_json(message, evidence);
  ReportCluster seen;
  seen.fingerprint = report_fingerprint(message);
  seen.subject = message.subject;
  seen.from_address = message.from_address;
  seen.first_at = report.received_at;
  seen.score = report.score;
  seen.suggested_verdict = report.suggested_verdict;
  // Counted in its cluster only once it is a report (not a duplicate).
  const std::int64_t id = PD_TRY(repos.reports.insert_report(report));
  const std::int64_t cluster_id = repos.reports.join_cluster(report.workspace_id, seen);
  repos.reports.place_in_cluster(id, cluster_id);
  // A report of a message already decided carries the decision.
  const auto cluster = repos.reports.find_cluster(report.workspace_id, cluster_id);
  if (cluster && !cluster->verdict.empty()) {
    repos.reports.set_report_verdict(report.workspace_id, id, cluster->verdict,
                                     cluster->verdict_note, cluster->verdict_by,
                                     cluster->verdict_at);
  }
  return id;
}

std::string joined(const std::vector<std::string>& reasons) {
  std::string out;
  for (const auto& reason : reasons) out += (out.empty() ? "" : "; ") + reason;
  return out;
}

}  // namespace

PreparedReport prepare_report(std::string raw) {
  PreparedReport prepared;
  auto parsed = parse_report(raw);
  if (!parsed) {
    prepared.refusals.push_back(parsed.error().message);
  } else {
    prepared.reporter = ascii_lowercase(parsed->reporter);
    prepared.report_message_id = parsed->message_id;
    prepared.automatic = parsed->auto_submitted;
    prepared.messages = std::move(parsed->messages);
    prepared.refusals = std::move(parsed->refusals);
  }
  prepared.raw = std::move(raw);
  return prepared;
}

Result<IngestedReport> record_report(Repositories& repos, const SecretKey& key,
                                     std::int64_t workspace_id, const PreparedReport& prepared,
                                     const ReportOrigin& origin, std::string_view rid_parameter,
                                     std::int64_t now) {
  PreparedReport report_of = prepared;  // the reporter may come from the origin
  if (!origin.reporter.empty()) report_of.reporter = ascii_lowercase(origin.reporter);
  IngestedReport out;
  out.reporter = report_of.reporter;
  if (origin.source == "mailbox" && !prepared.report_message_id.empty() &&
      repos.report_mail.forwarded_report(workspace_id, prepared.report_message_id)) {
    out.outcome = "forwarded";
    return out;
  }
  std::int64_t reporter_target = 0;
  if (!report_of.reporter.empty()) {
    reporter_target =
        repos.reporters.target_with_address(workspace_id, report_of.reporter).value_or(0);
  }
  if (report_of.messages.empty()) {
    Report r = base_report(workspace_id, report_of, origin, nullptr, now);
    r.status = ReportStatus::kRefused;
    r.note = "no reported message was found in it";
    if (!prepared.refusals.empty()) r.note += ": " + joined(prepared.refusals);
    r.reporter_target_id = reporter_target;
    const std::int64_t id = PD_TRY(repos.reports.insert_report(r));
    if (!prepared.raw.empty()) repos.reports.keep_original(id, crypto::seal(key, prepared.raw));
    out.outcome = "refused";
    out.report_ids.push_back(id);
    queue_feedback_for_new_reports(repos, workspace_id, out.report_ids, origin, now);
    return out;
  }
  for (const auto& message : report_of.messages) {
    Report r = base_report(workspace_id, report_of, origin, &message, now);
    r.reporter_target_id = reporter_target;
    std::string outcome = "triage";
    const auto match = find_simulation(repos, workspace_id, message, rid_parameter);
    auto id =
        match ? record_simulation(repos, r, *match, outcome) : record_triage(repos, r, message);
    if (!id && id.error().code == ErrorCode::kConflict) {
      if (out.outcome.empty()) out.outcome = "duplicate";
      continue;
    }
    if (!id) return std::unexpected(id.error());
    if (!match)
      repos.reports.keep_original(
          *id, crypto::seal(key, message.raw.empty() ? prepared.raw : message.raw));
    if (out.outcome.empty()) out.outcome = outcome;
    out.report_ids.push_back(*id);
  }
  queue_feedback_for_new_reports(repos, workspace_id, out.report_ids, origin, now);
  return out;
}

Result<IngestedReport> ingest_report(Store& store, const SecretKey& key, std::int64_t workspace_id,
                                     std::string raw, const ReportOrigin& origin,
                                     std::string_view rid_parameter, std::int64_t now) {
  const PreparedReport prepared = prepare_report(std::move(raw));
  IngestedReport out;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    out = PD_TRY(record_report(repos, key, workspace_id, prepared, origin, rid_parameter, now));
    return {};
  }));
  return out;
}

}  // namespace phishdrill::service
