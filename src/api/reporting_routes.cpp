// Reporting: the reporting mailboxes (CRUD and "test connection", over
// service/reporting/reporting_mailboxes) and the triage inbox (reports,
// clusters, verdicts, the original message, threat indicators as CSV or
// STIX 2.1, over service/reporting/triage and threat_indicators). A
// mailbox's secret is write-only. Reported mail may carry anyone's personal
// data, so the inbox is for operators; mailbox settings for admins.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"
#include "service/reporting/report_button.h"
#include "service/reporting/report_feedback.h"
#include "service/reporting/report_rendering.h"
#include "service/reporting/reporting_mailboxes.h"
#include "service/reporting/target_aliases.h"
#include "service/reporting/threat_indicators.h"
#include "service/reporting/triage.h"

namespace phishdrill::api {
namespace {

json::value time_or_null(std::int64_t at) {
  return at > 0 ? json::value(format_rfc3339(at)) : json::value(nullptr);
}

json::object mailbox_json(const ReportingMailbox& m) {
  return {{"id", m.id},
          {"name", m.name},
          {"host", m.host},
          {"port", m.port},
          {"tls", m.tls},
          {"username", m.username},
          {"auth", m.auth},
          {"has_secret", m.has_secret},
          {"folder", m.folder},
          {"after", m.after},
          {"done_folder", m.done_folder},
          {"poll_seconds", m.poll_seconds},
          {"enabled", m.enabled},
          {"last_polled_at", time_or_null(m.last_polled_at)},
          {"last_error", m.last_error},
          {"created_at", format_rfc3339(m.created_at)},
          {"updated_at", format_rfc3339(m.updated_at)}};
}

json::object report_json(const Report& r) {
  json::error_code ec;
  json::value evidence = json::parse(r.evidence_json, ec);
  if (ec) evidence = json::object{};
  return {{"id", r.id},
          {"source", r.source},
          {"mailbox_id", r.mailbox_id > 0 ? json::value(r.mailbox_id) : json::value(nullptr)},
          {"reporter", r.reporter},
          {"reporter_target_id",
           r.reporter_target_id > 0 ? json::value(r.reporter_target_id) : json::value(nullptr)},
          {"received_at", format_rfc3339(r.received_at)},
          {"automatic", r.automatic},
          {"status", report_status_name(r.status)},
          {"note", r.note},
          {"subject", r.subject},
          {"from_address", r.from_address},
          {"from_name", r.from_name},
          {"message_id", r.message_id},
          {"campaign_id", r.campaign_id > 0 ? json::value(r.campaign_id) : json::value(nullptr)},
          {"recipient_id", r.recipient_id > 0 ? json::value(r.recipient_id) : json::value(nullptr)},
          {"seconds_to_report",
           r.seconds_to_report >= 0 ? json::value(r.seconds_to_report) : json::value(nullptr)},
          {"cluster_id", r.cluster_id > 0 ? json::value(r.cluster_id) : json::value(nullptr)},
          {"score", r.score},
          {"suggested_verdict", r.suggested_verdict},
          {"verdict", r.verdict},
          {"verdict_note", r.verdict_note},
          {"verdict_at", time_or_null(r.verdict_at)},
          {"has_original", r.has_raw},
          {"evidence", std::move(evidence)}};
}

json::object report_mail_json(const ReportMailState& m) {
  return {{"kind", m.kind},
          {"state", m.state},
          {"attempts", m.attempts},
          {"sent_at", time_or_null(m.sent_at)},
          {"sent_verdict", m.sent_verdict},
          {"last_error", m.last_error}};
}

// One report with the emails it caused (feedback, forward).
Result<net::Response> get_report(ApiContext& context, net::Request& request, const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const auto report = PD_TRY(service::find_report(context.store, who.user.workspace_id, id));
  const auto mail = PD_TRY(service::report_feedback_of(context.store, who.user.workspace_id, id));
  json::object out = report_json(report);
  json::array emails;
  for (const auto& m : mail) emails.push_back(report_mail_json(m));
  out["emails"] = std::move(emails);
  return json_response(200, out);
}

// Lists leave the evidence out: it is the bulk of a report.
json::object report_summary_json(const Report& r) {
  json::object out = report_json(r);
  out.erase("evidence");
  return out;
}

json::object cluster_json(const ReportCluster& c) {
  return {{"id", c.id},
          {"subject", c.subject},
          {"from_address", c.from_address},
          {"first_at", format_rfc3339(c.first_at)},
          {"last_at", format_rfc3339(c.last_at)},
          {"report_count", c.report_count},
          {"score", c.score},
          {"suggested_verdict", c.suggested_verdict},
          {"verdict", c.verdict},
          {"verdict_note", c.verdict_note},
          {"verdict_at", time_or_null(c.verdict_at)}};
}

// An integer setting; out-of-range values are refused here so the range
// checks after it see the number given, not a truncated one.
Result<int> small_integer(FieldReader& reader, std::string_view key, int fallback) {
  const std::int64_t value = PD_TRY(reader.integer(key, false, fallback));
  if (value < 0 || value > 1000000) {
    return fail(ErrorCode::kValidation, std::string(key) + " is out of range", std::string(key));
  }
  return static_cast<int>(value);
}

struct MailboxInput {
  ReportingMailbox mailbox;
  std::optional<std::string> secret;
};

Result<MailboxInput> read_mailbox(const json::object& body) {
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "host", "port", "tls", "username", "auth", "secret", "folder",
                      "after", "done_folder", "poll_seconds", "enabled"}));
  MailboxInput input;
  ReportingMailbox& m = input.mailbox;
  m.name = PD_TRY(reader.string("name", true));
  m.host = PD_TRY(reader.string("host", true));
  m.port = PD_TRY(small_integer(reader, "port", 993));
  m.tls = PD_TRY(reader.string("tls", false, "implicit"));
  m.username = PD_TRY(reader.string("username", true));
  m.auth = PD_TRY(reader.string("auth", false, "password"));
  m.folder = PD_TRY(reader.string("folder", false, "INBOX"));
  m.after = PD_TRY(reader.string("after", false, "flag"));
  m.done_folder = PD_TRY(reader.string("done_folder", false));
  m.poll_seconds = PD_TRY(small_integer(reader, "poll_seconds", 60));
  m.enabled = PD_TRY(reader.boolean("enabled", true));
  if (reader.has("secret")) input.secret = PD_TRY(reader.string("secret", false));
  return input;
}

service::MailboxPorts mailbox_ports(ApiContext& context) {
  return {context.store, context.clock, context.key, context.reporting};
}

Result<net::Response> create_mailbox(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  MailboxInput input = PD_TRY(read_mailbox(PD_TRY(parse_body(request))));
  const auto created = PD_TRY(service::create_mailbox(mailbox_ports(context), caller(who, request),
                                                      std::move(input.mailbox), input.secret));
  return json_response(201, mailbox_json(created));
}

Result<net::Response> update_mailbox(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  MailboxInput input = PD_TRY(read_mailbox(PD_TRY(parse_body(request))));
  const auto updated = PD_TRY(service::update_mailbox(mailbox_ports(context), caller(who, request),
                                                      id, std::move(input.mailbox), input.secret));
  return json_response(200, mailbox_json(updated));
}

Result<net::Response> test_mailbox(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const auto result = service::test_mailbox(mailbox_ports(context), caller(who, request), id);
  if (!result) {
    const ErrorCode code = result.error().code;
    if (code != ErrorCode::kUnavailable && code != ErrorCode::kValidation &&
        code != ErrorCode::kConflict && code != ErrorCode::kPayloadTooLarge) {
      return std::unexpected(result.error());
    }
    // The server's refusal is the answer the admin asked for, not a fault of the request.
    return json_response(200, json::object{{"ok", false},
                                           {"error", result.error().message},
                                           {"field", result.error().field}});
  }
  return json_response(200, json::object{{"ok", true},
                                         {"uid_validity", result->uid_validity},
                                         {"messages", result->messages}});
}

Result<std::string> verdict_query(const net::Request& request) {
  const auto text = request.query_param("verdict");
  if (!text) return std::string();
  if (*text != "none" && *text != "clean" && *text != "spam" && *text != "threat") {
    return fail(ErrorCode::kValidation, "verdict must be none, clean, spam or threat", "verdict");
  }
  return std::string(*text);
}

Result<ReportFilter> report_filter(const net::Request& request) {
  ReportFilter filter;
  if (const auto status = request.query_param("status")) {
    if (*status != "simulation" && *status != "triage" && *status != "refused") {
      return fail(ErrorCode::kValidation, "status must be simulation, triage or refused", "status");
    }
    filter.status = report_status_from_name(*status);
  }
  filter.cluster_id = PD_TRY(query_id(request, "cluster_id")).value_or(0);
  filter.verdict = PD_TRY(verdict_query(request));
  return filter;
}

Result<net::Response> list_reports(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const ReportFilter filter = PD_TRY(report_filter(request));
  const PageRequest page = PD_TRY(page_request(request));
  const auto reports =
      PD_TRY(service::list_reports(context.store, who.user.workspace_id, filter, page));
  return json_response(200, list_body(reports.items, reports.next_after, report_summary_json));
}

Result<net::Response> list_clusters(ApiContext& context, net::Request& request,
                                    const Principal& who) {
  ClusterFilter filter;
  filter.verdict = PD_TRY(verdict_query(request));
  const PageRequest page = PD_TRY(page_request(request));
  const auto clusters =
      PD_TRY(service::list_clusters(context.store, who.user.workspace_id, filter, page));
  return json_response(200, list_body(clusters.items, clusters.next_after, cluster_json));
}

Result<service::VerdictRequest> read_verdict(net::Request& request) {
  const json::object body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"verdict", "note"}));
  service::VerdictRequest verdict;
  verdict.verdict = PD_TRY(reader.string("verdict", true));
  verdict.note = PD_TRY(reader.string("note", false));
  return verdict;
}

Result<net::Response> decide_report(ApiContext& context, net::Request& request,
                                    const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const auto verdict = PD_TRY(read_verdict(request));
  const auto report = PD_TRY(service::decide_report(context.store, caller(who, request),
                                                    context.clock.now(), id, verdict));
  return json_response(200, report_json(report));
}

Result<net::Response> decide_cluster(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const auto verdict = PD_TRY(read_verdict(request));
  const auto cluster = PD_TRY(service::decide_cluster(context.store, caller(who, request),
                                                      context.clock.now(), id, verdict));
  return json_response(200, cluster_json(cluster));
}

// The original as message/rfc822, always a download: it is hostile mail.
Result<net::Response> report_original(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  std::string raw = PD_TRY(service::report_original(context.store, context.key,
                                                    caller(who, request), context.clock.now(), id));
  return download_response(std::move(raw), "message/rfc822", fmt::format("report-{}.eml", id));
}

// The sanitised message for an <iframe sandbox>: a CSP that loads nothing
// remote and runs nothing, whatever the sanitiser missed.
Result<net::Response> report_rendering(ApiContext& context, net::Request& request,
                                       const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  std::string html = PD_TRY(
      service::render_reported_message(context.store, context.key, caller(who, request), id));
  auto response = net::Response::text(200, std::move(html), "text/html; charset=utf-8");
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                      "sandbox; base-uri 'none'; form-action 'none'; frame-ancestors 'self'");
  response.set_header("X-Frame-Options", "SAMEORIGIN");
  return response;
}

Result<net::Response> poll_mailbox_now(ApiContext& context, net::Request& request,
                                       const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  PD_TRY(service::poll_mailbox_soon(context.store, caller(who, request), id));
  return json_response(202, json::object{{"queued", true}});
}

json::object aliases_json(std::int64_t target_id, const std::vector<std::string>& aliases) {
  json::array listed;
  for (const auto& a : aliases) listed.emplace_back(a);
  return {{"target_id", target_id}, {"aliases", std::move(listed)}};
}

Result<net::Response> get_aliases(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const auto aliases = PD_TRY(service::target_aliases(context.store, who.user.workspace_id, id));
  return json_response(200, aliases_json(id, aliases));
}

// PUT {"aliases": ["a@b", ...]}: the whole list (an empty one removes them all).
Result<net::Response> put_aliases(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const json::object body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"aliases"}));
  const json::value* listed = body.if_contains("aliases");
  if (listed == nullptr || !listed->is_array()) {
    return fail(ErrorCode::kValidation, "aliases must be an array of email addresses", "aliases");
  }
  std::vector<std::string> wanted;
  for (const auto& item : listed->as_array()) {
    if (!item.is_string()) {
      return fail(ErrorCode::kValidation, "aliases must be an array of email addresses", "aliases");
    }
    wanted.emplace_back(item.as_string());
  }
  const auto saved = PD_TRY(service::replace_target_aliases(context.store, caller(who, request),
                                                            context.clock.now(), id, wanted));
  return json_response(200, aliases_json(id, saved));
}

// Where Microsoft 365 admins point "Upload custom apps" for the report button.
Result<net::Response> report_button(ApiContext& context, net::Request&, const Principal& who) {
  const std::string token = service::report_button_token(context.key, who.user.workspace_id);
  return json_response(200, json::object{{"manifest_url", context.phish_base_url + "/addin/" +
                                                              token + "/manifest.xml"}});
}

Result<net::Response> indicators(ApiContext& context, net::Request& request, const Principal& who) {
  const auto format = request.query_param("format").value_or("csv");
  if (format != "csv" && format != "stix") {
    return fail(ErrorCode::kValidation, "format must be csv or stix", "format");
  }
  const auto found = PD_TRY(service::threat_indicators(context.store, who.user.workspace_id));
  if (format == "csv")
    return csv_attachment(service::indicators_csv(found), "threat-indicators.csv");
  return download_response(service::indicators_stix(found, context.clock.now()),
                           "application/stix+json;version=2.1", "threat-indicators.json");
}

}  // namespace

void add_reporting_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/reporting/mailboxes",
             guard(ctx, Role::kOperator,
                   list_handler<ReportingMailbox>(ctx, service::list_mailboxes, mailbox_json)));
  router.add("POST", "/api/v1/reporting/mailboxes",
             guard(ctx, Role::kAdmin, handler(create_mailbox)));
  router.add("GET", "/api/v1/reporting/mailboxes/{id}",
             guard(ctx, Role::kOperator, get_handler(ctx, service::find_mailbox, mailbox_json)));
  router.add("PUT", "/api/v1/reporting/mailboxes/{id}",
             guard(ctx, Role::kAdmin, handler(update_mailbox)));
  router.add("POST", "/api/v1/reporting/mailboxes/{id}/test",
             guard(ctx, Role::kAdmin, handler(test_mailbox)));
  router.add("POST", "/api/v1/reporting/mailboxes/{id}/poll",
             guard(ctx, Role::kOperator, handler(poll_mailbox_now)));
  router.add("DELETE", "/api/v1/reporting/mailboxes/{id}",
             guard(ctx, Role::kAdmin, delete_handler(ctx, service::delete_mailbox)));

  router.add("GET", "/api/v1/targets/{id}/aliases",
             guard(ctx, Role::kViewer, handler(get_aliases)));
  router.add("PUT", "/api/v1/targets/{id}/aliases",
             guard(ctx, Role::kOperator, handler(put_aliases)));
  router.add("GET", "/api/v1/reporting/button", guard(ctx, Role::kAdmin, handler(report_button)));
  router.add("GET", "/api/v1/triage/reports", guard(ctx, Role::kOperator, handler(list_reports)));
  router.add("GET", "/api/v1/triage/reports/{id}",
             guard(ctx, Role::kOperator, handler(get_report)));
  router.add("PUT", "/api/v1/triage/reports/{id}/verdict",
             guard(ctx, Role::kOperator, handler(decide_report)));
  router.add("GET", "/api/v1/triage/reports/{id}/original",
             guard(ctx, Role::kOperator, handler(report_original)));
  router.add("GET", "/api/v1/triage/reports/{id}/rendering",
             guard(ctx, Role::kOperator, handler(report_rendering)));
  router.add("GET", "/api/v1/triage/clusters", guard(ctx, Role::kOperator, handler(list_clusters)));
  router.add("GET", "/api/v1/triage/clusters/{id}",
             guard(ctx, Role::kOperator, get_handler(ctx, service::find_cluster, cluster_json)));
  router.add("PUT", "/api/v1/triage/clusters/{id}/verdict",
             guard(ctx, Role::kOperator, handler(decide_cluster)));
  router.add("GET", "/api/v1/triage/indicators", guard(ctx, Role::kOperator, handler(indicators)));
}

}  // namespace phishdrill::api
