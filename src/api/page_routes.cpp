// Landing pages: CRUD over service/landing_pages (which holds the rule that
// only an admin may let a page's own scripts run).
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"
#include "service/landing_pages.h"

namespace phishdrill::api {
namespace {

json::object page_json(const LandingPage& p) {
  json::array safe_fields;
  for (const auto& name : p.safe_fields) safe_fields.emplace_back(name);
  return {{"id", p.id},
          {"name", p.name},
          {"html", p.html},
          {"capture", capture_policy_name(p.capture)},
          {"redirect_url", p.redirect_url},
          {"source_url", p.source_url},
          {"safe_fields", std::move(safe_fields)},
          {"allow_scripts", p.allow_scripts},
          {"created_at", format_rfc3339(p.created_at)},
          {"updated_at", format_rfc3339(p.updated_at)}};
}

Result<LandingPage> read_page(const json::object& body) {
  FieldReader reader(body);
  PD_TRY(reader.only(
      {"name", "html", "capture", "redirect_url", "source_url", "safe_fields", "allow_scripts"}));
  LandingPage page;
  page.name = PD_TRY(reader.string("name", true));
  page.html = PD_TRY(reader.string("html"));
  const auto policy = parse_capture_policy(PD_TRY(reader.string("capture", false, "none")));
  if (!policy) {
    return fail(ErrorCode::kValidation, "capture must be none, fields or values", "capture");
  }
  page.capture = *policy;
  page.redirect_url = PD_TRY(reader.string("redirect_url"));
  page.source_url = PD_TRY(reader.string("source_url"));
  const json::array* safe_fields = PD_TRY(reader.array("safe_fields"));
  if (safe_fields != nullptr) {
    for (const auto& item : *safe_fields) {
      if (!item.is_string()) {
        return fail(ErrorCode::kInvalidType, "safe_fields must be an array of field names",
                    "safe_fields");
      }
      page.safe_fields.emplace_back(item.as_string());
    }
  }
  page.allow_scripts = PD_TRY(reader.boolean("allow_scripts", false));
  return page;
}

Result<net::Response> create_page(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const json::object body = PD_TRY(parse_body(request));
  LandingPage page = PD_TRY(read_page(body));
  const LandingPage created = PD_TRY(service::create_page(context.store, caller(who, request),
                                                          context.clock.now(), std::move(page)));
  return json_response(201, page_json(created));
}

Result<net::Response> update_page(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const json::object body = PD_TRY(parse_body(request));
  LandingPage page = PD_TRY(read_page(body));
  const LandingPage updated = PD_TRY(service::update_page(
      context.store, caller(who, request), context.clock.now(), id, std::move(page)));
  return json_response(200, page_json(updated));
}

}  // namespace

void add_page_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add(
      "GET", "/api/v1/pages",
      guard(ctx, Role::kViewer, list_handler<LandingPage>(ctx, service::list_pages, page_json)));
  router.add("POST", "/api/v1/pages", guard(ctx, Role::kOperator, handler(create_page)),
             kLargeBodyLimit);
  router.add("GET", "/api/v1/pages/{id}",
             guard(ctx, Role::kViewer, get_handler(ctx, service::find_page, page_json)));
  router.add("PUT", "/api/v1/pages/{id}", guard(ctx, Role::kOperator, handler(update_page)),
             kLargeBodyLimit);
  router.add("DELETE", "/api/v1/pages/{id}",
             guard(ctx, Role::kOperator, delete_handler(ctx, service::delete_page)));
}

}  // namespace phishdrill::api
