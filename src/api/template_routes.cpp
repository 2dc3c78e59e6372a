// Email templates: CRUD, preview for a sample person, and import from .eml.
// Handlers parse, call the template use cases (src/service) and answer.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "api/phish_scale_json.h"
#include "api/preview_json.h"
#include "core/time_format.h"
#include "service/import_template.h"
#include "service/phish_scale/rate_templates.h"
#include "service/preview_template.h"
#include "service/templates.h"

namespace phishdrill::api {
namespace {

json::array headers_json(const std::vector<HeaderField>& headers) {
  json::array out;
  for (const auto& h : headers) out.push_back(json::object{{"name", h.name}, {"value", h.value}});
  return out;
}

json::array attachments_json(const std::vector<Attachment>& attachments) {
  json::array out;
  for (const auto& a : attachments) {
    out.push_back(json::object{
        {"name", a.name}, {"content_type", a.content_type}, {"content", a.content_base64}});
  }
  return out;
}

json::array red_flags_json(const std::vector<RedFlag>& flags) {
  json::array out;
  for (const auto& f : flags) {
    out.push_back(json::object{{"part", f.part}, {"text", f.text}, {"explanation", f.explanation}});
  }
  return out;
}

Result<std::vector<RedFlag>> read_red_flags(const FieldReader& reader) {
  std::vector<RedFlag> flags;
  const auto* items = PD_TRY(reader.array("red_flags"));
  if (items == nullptr) return flags;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    const std::string prefix = fmt::format("red_flags[{}]", i);
    if (!item.is_object()) {
      return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
    }
    FieldReader fields(item.as_object(), prefix + ".");
    PD_TRY(fields.only({"part", "text", "explanation"}));
    RedFlag flag;
    for (auto [key, out, required] :
         {std::tuple{"part", &flag.part, true}, std::tuple{"text", &flag.text, false},
          std::tuple{"explanation", &flag.explanation, true}}) {
      *out = PD_TRY(fields.string(key, required));
    }
    flags.push_back(std::move(flag));
  }
  return flags;
}

json::object template_json(const EmailTemplate& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"subject", t.subject},
          {"html", t.html},
          {"text", t.text},
          {"from", t.from},
          {"headers", headers_json(t.headers)},
          {"attachments", attachments_json(t.attachments)},
          {"red_flags", red_flags_json(t.red_flags)},
          {"phish_scale", template_scale_json(t.phish_scale)},
          {"created_at", format_rfc3339(t.created_at)},
          {"updated_at", format_rfc3339(t.updated_at)}};
}

Result<std::vector<Attachment>> read_attachments(const FieldReader& reader) {
  std::vector<Attachment> attachments;
  const auto* items = PD_TRY(reader.array("attachments"));
  if (items == nullptr) return attachments;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    const std::string prefix = fmt::format("attachments[{}]", i);
    if (!item.is_object()) {
      return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
    }
    FieldReader fields(item.as_object(), prefix + ".");
    PD_TRY(fields.only({"name", "content_type", "content"}));
    Attachment a;
    for (auto [key, out] : {std::pair{"name", &a.name}, std::pair{"content_type", &a.content_type},
                            std::pair{"content", &a.content_base64}}) {
      *out = PD_TRY(fields.string(key, true));
    }
    attachments.push_back(std::move(a));
  }
  return attachments;
}

Result<EmailTemplate> read_template(const json::object& body) {
  FieldReader reader(body);
  // "rating" and "observed" are computed and read-only: a template read back
  // and written again carries them, and they are ignored.
  PD_TRY(reader.only({"name", "subject", "html", "text", "from", "headers", "attachments",
                      "red_flags", "phish_scale", "rating", "observed"}));
  EmailTemplate t;
  for (auto [key, out, required] :
       {std::tuple{"name", &t.name, true}, std::tuple{"subject", &t.subject, true},
        std::tuple{"html", &t.html, false}, std::tuple{"text", &t.text, false},
        std::tuple{"from", &t.from, false}}) {
    *out = PD_TRY(reader.string(key, required));
  }
  t.headers = PD_TRY(reader.headers("headers"));
  t.attachments = PD_TRY(read_attachments(reader));
  t.red_flags = PD_TRY(read_red_flags(reader));
  t.phish_scale = PD_TRY(read_template_scale(reader));
  PD_TRY(validate_email_template(t));
  return t;
}

service::Templates library(ApiContext& context) {
  return service::Templates(context.store, context.clock);
}

// A template with its Phish Scale rating and what people did with it.
class RatedTemplates {
 public:
  static Result<RatedTemplates> of(ApiContext& context, std::int64_t workspace_id) {
    const auto library = PD_TRY(context.library->for_workspace(context.store, workspace_id));
    return RatedTemplates{PD_TRY(service::scale_context(context.store, workspace_id,
                                                        library.library, &context.spellers)),
                          PD_TRY(service::template_outcomes(context.store, workspace_id))};
  }

  json::object operator()(const EmailTemplate& t) const {
    const PhishRating rating = service::rate_template(t, scale_);
    const auto found = outcomes_.find(t.id);
    const TemplateOutcome outcome = found == outcomes_.end() ? TemplateOutcome{} : found->second;
    json::object out = template_json(t);
    out["rating"] = rating_json(rating);
    out["observed"] = observed_json(judge_observed(rating.difficulty, outcome));
    return out;
  }

 private:
  RatedTemplates(service::ScaleContext scale, std::map<std::int64_t, TemplateOutcome> outcomes)
      : scale_(std::move(scale)), outcomes_(std::move(outcomes)) {}

  service::ScaleContext scale_;
  std::map<std::int64_t, TemplateOutcome> outcomes_;
};

Result<net::Response> list_templates(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const auto page = PD_TRY(page_request(request));
  const auto items = PD_TRY(library(context).list(caller(who, request), page));
  const auto rated = PD_TRY(RatedTemplates::of(context, who.user.workspace_id));
  return json_response(200, list_body(items.items, items.next_after, rated));
}

Result<net::Response> get_template(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const auto id = PD_TRY(path_id(request));
  const auto t = PD_TRY(library(context).get(caller(who, request), id));
  return json_response(200, PD_TRY(RatedTemplates::of(context, who.user.workspace_id))(t));
}

Result<net::Response> create_template(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  const auto body = PD_TRY(parse_body(request));
  auto t = PD_TRY(read_template(body));
  const auto created = PD_TRY(library(context).create(caller(who, request), std::move(t)));
  return json_response(201, PD_TRY(RatedTemplates::of(context, who.user.workspace_id))(created));
}

Result<net::Response> update_template(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  const auto id = PD_TRY(path_id(request));
  const auto body = PD_TRY(parse_body(request));
  auto t = PD_TRY(read_template(body));
  const auto updated = PD_TRY(library(context).update(caller(who, request), id, std::move(t)));
  return json_response(200, PD_TRY(RatedTemplates::of(context, who.user.workspace_id))(updated));
}

Result<net::Response> delete_template(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  const auto id = PD_TRY(path_id(request));
  PD_TRY(library(context).remove(caller(who, request), id));
  return net::Response::no_content();
}

// The person a preview is rendered for: the body's "target", or a sample.
Result<service::PreviewPerson> preview_person(const json::object& body) {
  service::PreviewPerson person;
  const auto target = PD_TRY(FieldReader(body).object("target"));
  if (target == nullptr) return person;
  FieldReader fields(*target, "target.");
  PD_TRY(fields.only({"email", "first_name", "last_name", "position"}));
  for (auto [key, out] :
       {std::pair{"email", &person.email}, std::pair{"first_name", &person.first_name},
        std::pair{"last_name", &person.last_name}, std::pair{"position", &person.position}}) {
    *out = PD_TRY(fields.string(key, false, *out));
  }
  return person;
}

net::Response preview_response(const service::RenderedPreview& preview) {
  return json_response(200, json::object{{"subject", preview.subject},
                                         {"html", preview.html},
                                         {"text", preview.text},
                                         {"from", preview.from},
                                         {"attachments", preview_attachments_json(preview)}});
}

service::PreviewTemplate previewer(ApiContext& context) {
  return service::PreviewTemplate(context.store, context.tokens, context.phish_base_url);
}

Result<net::Response> preview_template(ApiContext& context, net::Request& request,
                                       const Principal& who) {
  const auto id = PD_TRY(path_id(request));
  const auto body = PD_TRY(parse_body(request, true));
  PD_TRY(FieldReader(body).only({"target"}));
  const auto person = PD_TRY(preview_person(body));
  return preview_response(PD_TRY(previewer(context).saved(caller(who, request), id, person)));
}

// POST /templates/preview {"template": {...as for create...}, "target": {...}}:
// the editor's live preview of unsaved work, checked like a save.
Result<net::Response> preview_draft(ApiContext& context, net::Request& request, const Principal&) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"template", "target"}));
  const auto draft = PD_TRY(reader.object("template"));
  if (draft == nullptr) return fail(ErrorCode::kValidation, "template is required", "template");
  // An unsaved template may not be named yet; everything else is checked.
  json::object fields = *draft;
  if (!fields.contains("name") || fields.at("name") == json::value("")) fields["name"] = "preview";
  const auto t = PD_TRY(read_template(fields));
  const auto person = PD_TRY(preview_person(body));
  return preview_response(PD_TRY(previewer(context).draft(t, person)));
}

// POST /templates/rate {"template": {...as for create...}}: the editor's live
// Phish Scale rating of unsaved work.
Result<net::Response> rate_draft(ApiContext& context, net::Request& request, const Principal& who) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"template"}));
  const auto draft = PD_TRY(reader.object("template"));
  if (draft == nullptr) return fail(ErrorCode::kValidation, "template is required", "template");
  json::object fields = *draft;
  if (!fields.contains("name") || fields.at("name") == json::value("")) fields["name"] = "draft";
  const auto t = PD_TRY(read_template(fields));
  const auto library = PD_TRY(context.library->for_workspace(context.store, who.user.workspace_id));
  const auto scale = PD_TRY(service::scale_context(context.store, who.user.workspace_id,
                                                   library.library, &context.spellers));
  return json_response(200, rating_json(PD_TRY(service::rate_draft(t, scale))));
}

Result<net::Response> import_eml(ApiContext& context, net::Request& request, const Principal& who) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"content", "convert_links", "name"}));
  service::EmlImport import;
  import.content = PD_TRY(reader.string("content", true));
  import.convert_links = PD_TRY(reader.boolean("convert_links", true));
  auto name = PD_TRY(reader.string("name"));
  if (reader.has("name")) import.name = std::move(name);
  auto templates = library(context);
  const auto imported = PD_TRY(service::import_template(templates, caller(who, request), import));
  json::array removed;
  for (const std::string& what : imported.removed) removed.emplace_back(what);
  auto answer = PD_TRY(RatedTemplates::of(context, who.user.workspace_id))(imported.tmpl);
  if (!imported.saved) {
    for (const char* key : {"id", "name", "created_at", "updated_at"}) answer.erase(key);
  }
  answer["removed"] = std::move(removed);
  return json_response(imported.saved ? 201 : 200, answer);
}

}  // namespace

void add_template_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/templates", guard(ctx, Role::kViewer, handler(list_templates)));
  router.add("POST", "/api/v1/templates", guard(ctx, Role::kOperator, handler(create_template)),
             kLargeBodyLimit);
  router.add("POST", "/api/v1/templates/import-eml",
             guard(ctx, Role::kOperator, handler(import_eml)), kLargeBodyLimit);
  router.add("GET", "/api/v1/templates/{id}", guard(ctx, Role::kViewer, handler(get_template)));
  router.add("PUT", "/api/v1/templates/{id}", guard(ctx, Role::kOperator, handler(update_template)),
             kLargeBodyLimit);
  router.add("DELETE", "/api/v1/templates/{id}",
             guard(ctx, Role::kOperator, handler(delete_template)));
  router.add("POST", "/api/v1/templates/preview",
             guard(ctx, Role::kViewer, handler(preview_draft)));
  router.add("POST", "/api/v1/templates/rate", guard(ctx, Role::kViewer, handler(rate_draft)),
             kLargeBodyLimit);
  router.add("POST", "/api/v1/templates/{id}/preview",
             guard(ctx, Role::kViewer, handler(preview_template)));
}

}  // namespace phishdrill::api
