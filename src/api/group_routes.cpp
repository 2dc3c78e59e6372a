// Groups of targets: CRUD, membership, and the all-or-nothing CSV import.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/target_csv.h"
#include "core/time_format.h"
#include "net/multipart_form.h"

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
  if (auto ok = reader.only({"email", "first_name", "last_name", "position", "department",
                             "manager_email", "locale"});
      !ok) {
    return std::unexpected(ok.error());
  }
  TargetFields fields;
  const std::pair<const char*, std::string*> columns[] = {
      {"email", &fields.email},           {"first_name", &fields.first_name},
      {"last_name", &fields.last_name},   {"position", &fields.position},
      {"department", &fields.department}, {"manager_email", &fields.manager_email},
      {"locale", &fields.locale}};
  for (const auto& [key, out] : columns) {
    auto text = reader.string(key, std::string_view(key) == "email");
    if (!text) return std::unexpected(text.error());
    *out = std::move(*text);
  }
  return validate_target(std::move(fields), prefix + ".");
}

// Reads and validates body["targets"]; absent → nullopt.
Result<std::optional<std::vector<TargetFields>>> read_targets(const FieldReader& reader,
                                                              bool required) {
  auto items = reader.array("targets", required);
  if (!items) return std::unexpected(items.error());
  if (*items == nullptr) return std::nullopt;
  std::vector<TargetFields> targets;
  targets.reserve((*items)->size());
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    auto target = read_target((**items)[i], fmt::format("targets[{}]", i));
    if (!target) return std::unexpected(target.error());
    targets.push_back(std::move(*target));
  }
  return targets;
}

Result<std::string> read_group_name(const FieldReader& reader, bool required,
                                    std::string fallback = {}) {
  auto name = reader.string("name", required, std::move(fallback));
  if (!name) return name;
  return validate_group_name(*name);
}

Result<net::Response> create_group(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"name", "targets"}); !ok) return std::unexpected(ok.error());
  auto name = read_group_name(reader, true);
  if (!name) return std::unexpected(name.error());
  auto targets = read_targets(reader, false);
  if (!targets) return std::unexpected(targets.error());
  const auto now = context.clock.now();
  std::optional<Group> created;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto group = repos.groups.create_group(who.user.workspace_id, *name, now);
    if (!group) return std::unexpected(group.error());
    std::int64_t count = 0;
    if (*targets) {
      auto stats = repos.groups.upsert_targets(who.user.workspace_id, **targets, now);
      repos.groups.add_members(group->id, stats.target_ids);
      count = static_cast<std::int64_t>(stats.target_ids.size());
    }
    audit(repos, who, request, now, "group.create", "group", group->id,
          {{"name", *name}, {"targets", count}});
    created = repos.groups.find_group(who.user.workspace_id, group->id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(201, group_json(*created));
}

Result<net::Response> update_group(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"name", "targets"}); !ok) return std::unexpected(ok.error());
  auto targets = read_targets(reader, false);
  if (!targets) return std::unexpected(targets.error());
  const auto now = context.clock.now();
  std::optional<Group> updated;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto group = repos.groups.find_group(who.user.workspace_id, *id);
    if (!group) return not_found();
    auto name = read_group_name(reader, false, group->name);
    if (!name) return std::unexpected(name.error());
    if (auto ok = repos.groups.rename_group(who.user.workspace_id, *id, *name, now); !ok) {
      return ok;
    }
    json::object details{{"name", *name}};
    if (*targets) {
      repos.groups.clear_members(*id);
      auto stats = repos.groups.upsert_targets(who.user.workspace_id, **targets, now);
      repos.groups.add_members(*id, stats.target_ids);
      details["targets"] = static_cast<std::int64_t>(stats.target_ids.size());
    }
    audit(repos, who, request, now, "group.update", "group", *id, details);
    updated = repos.groups.find_group(who.user.workspace_id, *id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(200, group_json(*updated));
}

Result<net::Response> delete_group(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  const auto now = context.clock.now();
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto group = repos.groups.find_group(who.user.workspace_id, *id);
    if (!group) return not_found();
    repos.groups.delete_group(who.user.workspace_id, *id);
    audit(repos, who, request, now, "group.delete", "group", *id, {{"name", group->name}});
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return net::Response::no_content();
}

Result<net::Response> list_members(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto page = page_request(request);
  if (!page) return std::unexpected(page.error());
  Page<Target> members;
  bool found = false;
  auto read = context.store.read([&](Repositories& repos) -> Result<void> {
    found = repos.groups.find_group(who.user.workspace_id, *id).has_value();
    if (found) members = repos.groups.list_members(*id, *page);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  if (!found) return not_found();
  return json_response(200, list_body(members.items, members.next_after, target_json));
}

Result<net::Response> add_members(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"targets"}); !ok) return std::unexpected(ok.error());
  auto targets = read_targets(reader, true);
  if (!targets) return std::unexpected(targets.error());
  const auto now = context.clock.now();
  std::optional<Group> updated;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.groups.find_group(who.user.workspace_id, *id)) return not_found();
    auto stats = repos.groups.upsert_targets(who.user.workspace_id, **targets, now);
    repos.groups.add_members(*id, stats.target_ids);
    repos.groups.touch_group(*id, now);
    audit(repos, who, request, now, "group.add_targets", "group", *id,
          {{"targets", static_cast<std::int64_t>(stats.target_ids.size())}});
    updated = repos.groups.find_group(who.user.workspace_id, *id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(200, group_json(*updated));
}

Result<net::Response> remove_member(ApiContext& context, net::Request& request,
                                    const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto target_id = path_id(request, "target_id");
  if (!target_id) return std::unexpected(target_id.error());
  const auto now = context.clock.now();
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.groups.find_group(who.user.workspace_id, *id)) return not_found();
    if (!repos.groups.remove_member(*id, *target_id)) return not_found();
    repos.groups.touch_group(*id, now);
    audit(repos, who, request, now, "group.remove_target", "group", *id,
          {{"target_id", *target_id}});
    return {};
  });
  if (!written) return std::unexpected(written.error());
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
  auto parts = net::parse_multipart_form(*type, request.body);
  if (!parts) return std::unexpected(std::move(parts.error()));
  for (net::FormPart& part : *parts) {
    if (part.filename || part.name == "file") return std::move(part.body);
  }
  return fail(ErrorCode::kValidation, "the upload has no file (a part named \"file\")", "file");
}

// POST /groups/import?name=NEW or ?group_id=ID, body: CSV.
Result<net::Response> import_csv(ApiContext& context, net::Request& request, const Principal& who) {
  const auto name_param = request.query_param("name");
  auto group_param = query_id(request, "group_id");
  if (!group_param) return std::unexpected(group_param.error());
  if (name_param.has_value() == group_param->has_value()) {
    return fail(ErrorCode::kValidation,
                "give either ?name= for a new group or ?group_id= for an existing one", "name");
  }
  std::string name;
  std::int64_t group_id = group_param->value_or(0);
  if (name_param) {
    auto valid = validate_group_name(*name_param);
    if (!valid) return std::unexpected(valid.error());
    name = std::move(*valid);
  }
  auto csv = csv_upload(request);
  if (!csv) return std::unexpected(csv.error());
  auto parsed = parse_targets_csv(*csv);
  if (!parsed) return std::unexpected(parsed.error());
  const std::vector<TargetFields>& targets = parsed->targets;

  const auto now = context.clock.now();
  std::optional<Group> group;
  UpsertStats stats;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    if (group_id == 0) {
      auto created = repos.groups.create_group(who.user.workspace_id, name, now);
      if (!created) return std::unexpected(created.error());
      group_id = created->id;
    } else if (!repos.groups.find_group(who.user.workspace_id, group_id)) {
      return not_found();
    }
    stats = repos.groups.upsert_targets(who.user.workspace_id, targets, now);
    repos.groups.add_members(group_id, stats.target_ids);
    repos.groups.touch_group(group_id, now);
    audit(repos, who, request, now, "group.import", "group", group_id,
          {{"rows", static_cast<std::int64_t>(targets.size())},
           {"created", stats.created},
           {"updated", stats.updated},
           {"warnings", static_cast<std::int64_t>(parsed->warnings.size())}});
    group = repos.groups.find_group(who.user.workspace_id, group_id);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(name_param ? 201 : 200,
                       json::object{{"group", group_json(*group)},
                                    {"imported", static_cast<std::int64_t>(targets.size())},
                                    {"created", stats.created},
                                    {"updated", stats.updated},
                                    {"warnings", row_issues_json(parsed->warnings)}});
}

}  // namespace

void add_group_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/groups",
             guard(ctx, Role::kViewer,
                   list_handler<Group>(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, PageRequest page) {
                         return repos.groups.list_groups(ws, page);
                       },
                       group_json)));
  router.add("POST", "/api/v1/groups", guard(ctx, Role::kOperator, handler(create_group)),
             kGroupBodyLimit);
  router.add("POST", "/api/v1/groups/import", guard(ctx, Role::kOperator, handler(import_csv)),
             kGroupBodyLimit);
  router.add("GET", "/api/v1/groups/{id}",
             guard(ctx, Role::kViewer,
                   get_handler(
                       ctx,
                       [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                         return repos.groups.find_group(ws, id);
                       },
                       group_json)));
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
