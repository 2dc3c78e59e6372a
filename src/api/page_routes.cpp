// Landing pages: CRUD. Only an admin may let a page's own scripts run
// (allow_scripts, audited); a non-admin who changes the HTML of such a page
// clears the flag.
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"

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
  if (auto ok = reader.only({"name", "html", "capture", "redirect_url", "source_url", "safe_fields",
                             "allow_scripts"});
      !ok) {
    return std::unexpected(ok.error());
  }
  LandingPage page;
  auto name = reader.string("name", true);
  if (!name) return std::unexpected(name.error());
  page.name = std::move(*name);
  auto html = reader.string("html");
  if (!html) return std::unexpected(html.error());
  page.html = std::move(*html);
  auto capture = reader.string("capture", false, "none");
  if (!capture) return std::unexpected(capture.error());
  auto policy = parse_capture_policy(*capture);
  if (!policy) {
    return fail(ErrorCode::kValidation, "capture must be none, fields or values", "capture");
  }
  page.capture = *policy;
  auto redirect = reader.string("redirect_url");
  if (!redirect) return std::unexpected(redirect.error());
  page.redirect_url = std::move(*redirect);
  auto source = reader.string("source_url");
  if (!source) return std::unexpected(source.error());
  page.source_url = std::move(*source);
  auto safe_fields = reader.array("safe_fields");
  if (!safe_fields) return std::unexpected(safe_fields.error());
  if (*safe_fields != nullptr) {
    for (const auto& item : **safe_fields) {
      if (!item.is_string()) {
        return fail(ErrorCode::kInvalidType, "safe_fields must be an array of field names",
                    "safe_fields");
      }
      page.safe_fields.emplace_back(item.as_string());
    }
  }
  auto allow_scripts = reader.boolean("allow_scripts", false);
  if (!allow_scripts) return std::unexpected(allow_scripts.error());
  page.allow_scripts = *allow_scripts;
  if (auto ok = validate_landing_page(page); !ok) return std::unexpected(ok.error());
  return page;
}

Result<void> may_allow_scripts(const Principal& who) {
  if (has_role(who.role, Role::kAdmin)) return {};
  return fail(ErrorCode::kForbidden,
              "only an admin may allow a page's own scripts (allow_scripts); they could send what "
              "people type to another site",
              "allow_scripts");
}

// The audit details of a save: the name, and allow_scripts whenever it is on
// or changes.
json::object page_audit(const LandingPage& page, bool scripts_before) {
  json::object details{{"name", page.name}};
  if (page.allow_scripts || scripts_before) {
    details["allow_scripts"] = page.allow_scripts;
    details["allow_scripts_before"] = scripts_before;
  }
  return details;
}

Result<net::Response> create_page(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto page = read_page(*body);
  if (!page) return std::unexpected(page.error());
  if (page->allow_scripts) {
    if (auto ok = may_allow_scripts(who); !ok) return std::unexpected(ok.error());
  }
  page->created_at = page->updated_at = context.clock.now();
  std::optional<LandingPage> created;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto saved = repos.templates.create_page(who.user.workspace_id, *page);
    if (!saved) return std::unexpected(saved.error());
    audit(repos, who, request, page->created_at, "page.create", "page", saved->id,
          page_audit(*page, false));
    created = std::move(*saved);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(201, page_json(*created));
}

Result<net::Response> update_page(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto page = read_page(*body);
  if (!page) return std::unexpected(page.error());
  const auto now = context.clock.now();
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto existing = repos.templates.find_page(who.user.workspace_id, *id);
    if (!existing) return not_found();
    if (!has_role(who.role, Role::kAdmin) && page->allow_scripts) {
      // An operator may keep an admin's decision, not make one, and not
      // extend it to HTML the admin has not seen.
      if (!existing->allow_scripts) return may_allow_scripts(who);
      if (page->html != existing->html) page->allow_scripts = false;
    }
    page->id = *id;
    page->created_at = existing->created_at;
    page->updated_at = now;
    if (auto ok = repos.templates.update_page(who.user.workspace_id, *page); !ok) return ok;
    audit(repos, who, request, now, "page.update", "page", *id,
          page_audit(*page, existing->allow_scripts));
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(200, page_json(*page));
}

}  // namespace

void add_page_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/pages",
             guard(ctx, Role::kViewer,
                   list_handler<LandingPage>(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, PageRequest page) {
                         return repos.templates.list_pages(ws, page);
                       },
                       page_json)));
  router.add("POST", "/api/v1/pages", guard(ctx, Role::kOperator, handler(create_page)),
             kLargeBodyLimit);
  router.add("GET", "/api/v1/pages/{id}",
             guard(ctx, Role::kViewer,
                   get_handler(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                         return repos.templates.find_page(ws, id);
                       },
                       page_json)));
  router.add("PUT", "/api/v1/pages/{id}", guard(ctx, Role::kOperator, handler(update_page)),
             kLargeBodyLimit);
  router.add("DELETE", "/api/v1/pages/{id}",
             guard(ctx, Role::kOperator,
                   delete_handler(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                         return repos.templates.delete_page(ws, id);
                       },
                       "page.delete", "page")));
}

}  // namespace phishdrill::api
