// Groups of targets: CRUD, membership, and the all-or-nothing CSV import.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/time_format.h"
#include "net/multipart_form.h"
#include "service/groups.h"
#include "service/import_targets.h"

namespace phishdrill::api {
namespace {

// The largest legitimate group request: tens of thousands of targets sent as
// JSON (as GoPhish's API clients do, ~400 bytes each) or as a CSV upload.
constexpr std::size_t kGroupBodyLimit = 16 * 1024 * 1024;

json::object group_json(const Group& group) {
  return {{"id", group.id},
          {"name", group.name},
          {"target_count", group.target_count},
          {"created_at", format_rfc3339(group.created_at)},
          {"updated_at", format_rfc3339(group.updated_at)}};
}

json::object target_json(const Target& target) {
  const auto& f = target.fields;
  return {{"id", target.id},
          {"email", f.email},
          {"first_name", f.first_name},
          {"last_name", f.last_name},
          {"position", f.position},
          {"department", f.department},
          {"manager_email", f.manager_email},
          {"locale", f.locale}};
}

Result<TargetFields> read_target(const json::value& value, const std::string& prefix) {
  if (!value.is_object()) {
    return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
  }
  FieldReader reader(value.as_object(), prefix + ".");
  PD_TRY(reader.only(
      {"email", "first_name", "last_name", "position", "department", "manager_email", "locale"}));
  TargetFields fields;
  const std::pair<const char*, std::string*> columns[] = {
      {"email", &fields.email},           {"first_name", &fields.first_name},
      {"last_name", &fields.last_name},   {"position", &fields.position},
      {"department", &fields.department}, {"manager_email", &fields.manager_email},
      {"locale", &fields.locale}};
  for (const auto& [key, out] : columns) {
    *out = PD_TRY(reader.string(key, std::string_view(key) == "email"));
  }
  return validate_target(std::move(fields), prefix + ".");
}

// Reads and validates body["targets"]; absent → nullopt.
Result<std::optional<std::vector<TargetFields>>> read_targets(const FieldReader& reader,
                                                              bool required) {
  const json::array* items = PD_TRY(reader.array("targets", required));
  if (items == nullptr) return std::nullopt;
  std::vector<TargetFields> targets;
  targets.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    targets.push_back(PD_TRY(read_target((*items)[i], fmt::format("targets[{}]", i))));
  }
  return targets;
}

Result<std::string> read_group_name(const FieldReader& reader, bool required,
                                    std::string fallback = {}) {
  const std::string name = PD_TRY(reader.string("name", required, std::move(fallback)));
  return validate_group_name(name);
}

Result<net::Response> create_group(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const json::object body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "targets"}));
  const std::string name = PD_TRY(read_group_name(reader, true));
  const auto targets = PD_TRY(read_targets(reader, false));
  const Group created = PD_TRY(service::create_group(context.store, caller(who, request),
                                                     context.clock.now(), name, targets));
  return json_response(201, group_json(created));
}

Result<net::Response> update_group(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const json::object body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "targets"}));
  service::GroupChange change;
  change.targets = PD_TRY(read_targets(reader, false));
  if (reader.has("name")) change.name = PD_TRY(reader.string("name"));
  const Group updated = PD_TRY(
      service::update_group(context.store, caller(who, request), context.clock.now(), id, change));
  return json_response(200, group_json(updated));
}

Result<net::Response> delete_group(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  PD_TRY(service::delete_group(context.store, caller(who, request), context.clock.now(), id));
  return net::Response::no_content();
}

Result<net::Response> list_members(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const PageRequest page = PD_TRY(page_request(request));
  const Page<Target> members =
      PD_TRY(service::list_group_targets(context.store, who.user.workspace_id, id, page));
  return json_response(200, list_body(members.items, members.next_after, target_json));
}

Result<net::Response> add_members(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const json::object body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"targets"}));
  const auto targets = PD_TRY(read_targets(reader, true));
  const Group updated = PD_TRY(service::add_group_targets(context.store, caller(who, request),
                                                          context.clock.now(), id, *targets));
  return json_response(200, group_json(updated));
}

Result<net::Response> remove_member(ApiContext& context, net::Request& request,
                                    const Principal& who) {
  const std::int64_t id = PD_TRY(path_id(request));
  const std::int64_t target_id = PD_TRY(path_id(request, "target_id"));
  PD_TRY(service::remove_group_target(context.store, caller(who, request), context.clock.now(), id,
                                      target_id));
  return net::Response::no_content();
}

json::array row_issues_json(const std::vector<RowIssue>& issues) {
  json::array out;
  for (const RowIssue& issue : issues) {
    json::object item{{"line", issue.line}, {"message", issue.reason}};
    if (!issue.field.empty()) item["field"] = issue.field;
    out.push_back(std::move(item));
  }
  return out;
}

// The CSV bytes of an import: the body itself (text/csv and friends), or the
// file part of a multipart/form-data upload (a browser's file input). Other
// types are 415: a JSON or form body is not a CSV file.
Result<std::string> csv_upload(const net::Request& request) {
  const auto type = net::parse_media_type(request.header("Content-Type"));
  if (type && (type->type == "text/csv" || type->type == "application/csv" ||
               type->type == "text/plain" || type->type == "text/tab-separated-values")) {
    return request.body;
  }
  if (!type || type->type != "multipart/form-data") {
    return fail(ErrorCode::kUnsupportedMediaType,
                "send the CSV file as text/csv, or upload it as multipart/form-data");
  }
  auto parts = PD_TRY(net::parse_multipart_form(*type, request.body));
  for (net::FormPart& part : parts) {
    if (part.filename || part.name == "file") return std::move(part.body);
  }
  return fail(ErrorCode::kValidation, "the upload has no file (a part named \"file\")", "file");
}

// POST /groups/import?name=NEW or ?group_id=ID, body: CSV.
Result<net::Response> import_csv(ApiContext& context, net::Request& request, const Principal& who) {
  const auto name_param = request.query_param("name");
  const auto group_param = PD_TRY(query_id(request, "group_id"));
  if (name_param.has_value() == group_param.has_value()) {
    return fail(ErrorCode::kValidation,
                "give either ?name= for a new group or ?group_id= for an existing one", "name");
  }
  service::ImportInto into;
  into.group_id = group_param.value_or(0);
  if (name_param) into.new_group_name = PD_TRY(validate_group_name(*name_param));
  const std::string csv = PD_TRY(csv_upload(request));
  const auto outcome = PD_TRY(service::import_targets_csv(context.store, caller(who, request),
                                                          context.clock.now(), into, csv));
  return json_response(name_param ? 201 : 200,
                       json::object{{"group", group_json(outcome.group)},
                                    {"imported", outcome.imported},
                                    {"created", outcome.created},
                                    {"updated", outcome.updated},
                                    {"warnings", row_issues_json(outcome.warnings)}});
}

}  // namespace

void add_group_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/groups",
             guard(ctx, Role::kViewer, list_handler<Group>(ctx, service::list_groups, group_json)));
  router.add("POST", "/api/v1/groups", guard(ctx, Role::kOperator, handler(create_group)),
             kGroupBodyLimit);
  router.add("POST", "/api/v1/groups/import", guard(ctx, Role::kOperator, handler(import_csv)),
             kGroupBodyLimit);
  router.add("GET", "/api/v1/groups/{id}",
             guard(ctx, Role::kViewer, get_handler(ctx, service::find_group, group_json)));
  router.add("PUT", "/api/v1/groups/{id}", guard(ctx, Role::kOperator, handler(update_group)),
             kGroupBodyLimit);
  router.add("DELETE", "/api/v1/groups/{id}", guard(ctx, Role::kOperator, handler(delete_group)));
  router.add("GET", "/api/v1/groups/{id}/targets",
             guard(ctx, Role::kViewer, handler(list_members)));
  router.add("POST", "/api/v1/groups/{id}/targets",
             guard(ctx, Role::kOperator, handler(add_members)), kGroupBodyLimit);
  router.add("DELETE", "/api/v1/groups/{id}/targets/{target_id}",
             guard(ctx, Role::kOperator, handler(remove_member)));
}

}  // namespace phishdrill::api
