#include "phish/report_button_routes.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/email_address.h"
#include "core/html_escape.h"
#include "core/log_text.h"
#include "core/percent_encoding.h"
#include "service/reporting/ingest_report.h"
#include "service/reporting/report_button.h"

namespace phishdrill::phish {
namespace json = boost::json;
namespace {

// The task pane may load only itself and Office.js, and talk only to us.
// Outlook on the web frames it from Microsoft's own origins, which are not
// listed anywhere stable: any https page may frame it. It holds no session
// and reports only inside Outlook (Office.js says so), so framing gains an
// attacker nothing. (frame-ancestors overrides the server's default
// X-Frame-Options: DENY in every browser that knows CSP 2.)
constexpr const char* kTaskPanePolicy =
    "default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com; "
    "connect-src 'self'; img-src 'self' data:; style-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self' https:";

net::Response not_found_answer() { return net::Response::text(404, "not found\n", "text/plain"); }

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::optional<std::int64_t> workspace_of(const ReportButtonContext& context,
                                         const net::Request& request) {
  return service::report_button_workspace(context.key, request.path_param("token"));
}

net::Response json_answer(int status, const json::object& body) {
  return net::Response::json(status, json::serialize(body));
}

net::Response error_answer(int status, std::string_view code, std::string_view message) {
  return json_answer(status,
                     json::object{{"error", json::object{{"code", code}, {"message", message}}}});
}

net::Response report(ReportButtonContext& context, net::Request& request) {
  const auto workspace_id = workspace_of(context, request);
  if (!workspace_id) return not_found_answer();
  if (request.body.empty()) return error_answer(400, "bad_request", "the message is empty");
  // A browser cannot send non-ASCII in a header: the pane percent-encodes
  // such an address whole (its '@' too).
  const std::string_view given = request.header("X-Phishdrill-Reporter");
  const std::string reporter = normalize_email(
      given.find('@') == std::string_view::npos ? percent_decode_text(given) : std::string(given));
  if (!reporter.empty() && !is_valid_email(reporter)) {
    return error_answer(400, "bad_request", "X-Phishdrill-Reporter is not an email address");
  }
  service::ReportOrigin origin;
  origin.source = "button";
  origin.reporter = reporter;
  auto ingested =
      service::ingest_report(context.store, context.key, *workspace_id, std::move(request.body),
                             origin, context.rid_parameter, context.clock.now());
  if (!ingested) {
    spdlog::error("event=report_button_failed workspace={} message={}", *workspace_id,
                  log_value(ingested.error().message));
    return error_answer(503, "unavailable", "the report could not be recorded; try again");
  }
  return json_answer(200,
                     json::object{{"outcome", ingested->outcome},
                                  {"message", service::report_button_message(ingested->outcome)}});
}

net::Response file(const ReportButtonContext& context, const net::Request& request) {
  if (!workspace_of(context, request)) return not_found_answer();
  const auto found = context.content.files.find(std::string(request.path_param("file")));
  if (found == context.content.files.end()) return not_found_answer();
  auto response = net::Response::text(200, found->second.bytes, found->second.content_type);
  response.set_header("Content-Security-Policy", kTaskPanePolicy);
  response.set_header("Cache-Control", "no-cache");
  return response;
}

}  // namespace

std::string render_addin_manifest(const ReportButtonContext& context, std::int64_t workspace_id) {
  std::string manifest = context.content.manifest_template;
  replace_all(manifest, "{{BASE}}", html_escape(context.base_url));
  replace_all(manifest, "{{TOKEN}}",
              html_escape(service::report_button_token(context.key, workspace_id)));
  replace_all(manifest, "{{ID}}", service::report_button_addin_id(context.key, workspace_id));
  replace_all(manifest, "{{NAME}}", "Report phishing");
  return manifest;
}

void add_report_button_routes(net::Router& router, ReportButtonContext& context) {
  router.add("GET", "/addin/{token}/manifest.xml", [&context](net::Request& request) {
    const auto workspace_id = workspace_of(context, request);
    if (!workspace_id) return not_found_answer();
    return net::Response::text(200, render_addin_manifest(context, *workspace_id),
                               "application/xml; charset=utf-8");
  });
  router.add("GET", "/addin/{token}/{file}",
             [&context](net::Request& request) { return file(context, request); });
  router.add(
      "POST", "/addin/{token}/report",
      [&context](net::Request& request) { return report(context, request); },
      context.max_message_bytes);
}

}  // namespace phishdrill::phish
