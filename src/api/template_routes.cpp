// Email templates: CRUD, preview for a sample person, and import from .eml.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/message_template.h"
#include "core/time_format.h"
#include "crypto/sodium.h"
#include "mail/eml_import.h"
#include "service/owned_resources.h"

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
  auto items = reader.array("red_flags");
  if (!items) return std::unexpected(items.error());
  if (*items == nullptr) return flags;
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const auto& item = (**items)[i];
    const std::string prefix = fmt::format("red_flags[{}]", i);
    if (!item.is_object()) {
      return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
    }
    FieldReader fields(item.as_object(), prefix + ".");
    if (auto ok = fields.only({"part", "text", "explanation"}); !ok) {
      return std::unexpected(ok.error());
    }
    RedFlag flag;
    for (auto [key, out, required] :
         {std::tuple{"part", &flag.part, true}, std::tuple{"text", &flag.text, false},
          std::tuple{"explanation", &flag.explanation, true}}) {
      auto text = fields.string(key, required);
      if (!text) return std::unexpected(text.error());
      *out = std::move(*text);
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
          {"created_at", format_rfc3339(t.created_at)},
          {"updated_at", format_rfc3339(t.updated_at)}};
}

Result<std::vector<Attachment>> read_attachments(const FieldReader& reader) {
  std::vector<Attachment> attachments;
  auto items = reader.array("attachments");
  if (!items) return std::unexpected(items.error());
  if (*items == nullptr) return attachments;
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const auto& item = (**items)[i];
    const std::string prefix = fmt::format("attachments[{}]", i);
    if (!item.is_object()) {
      return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
    }
    FieldReader fields(item.as_object(), prefix + ".");
    if (auto ok = fields.only({"name", "content_type", "content"}); !ok) {
      return std::unexpected(ok.error());
    }
    Attachment a;
    for (auto [key, out] : {std::pair{"name", &a.name}, std::pair{"content_type", &a.content_type},
                            std::pair{"content", &a.content_base64}}) {
      auto text = fields.string(key, true);
      if (!text) return std::unexpected(text.error());
      *out = std::move(*text);
    }
    attachments.push_back(std::move(a));
  }
  return attachments;
}

Result<EmailTemplate> read_template(const json::object& body) {
  FieldReader reader(body);
  if (auto ok = reader.only(
          {"name", "subject", "html", "text", "from", "headers", "attachments", "red_flags"});
      !ok) {
    return std::unexpected(ok.error());
  }
  EmailTemplate t;
  for (auto [key, out, required] :
       {std::tuple{"name", &t.name, true}, std::tuple{"subject", &t.subject, true},
        std::tuple{"html", &t.html, false}, std::tuple{"text", &t.text, false},
        std::tuple{"from", &t.from, false}}) {
    auto text = reader.string(key, required);
    if (!text) return std::unexpected(text.error());
    *out = std::move(*text);
  }
  auto headers = reader.headers("headers");
  if (!headers) return std::unexpected(headers.error());
  t.headers = std::move(*headers);
  auto attachments = read_attachments(reader);
  if (!attachments) return std::unexpected(attachments.error());
  t.attachments = std::move(*attachments);
  auto red_flags = read_red_flags(reader);
  if (!red_flags) return std::unexpected(red_flags.error());
  t.red_flags = std::move(*red_flags);
  if (auto ok = validate_email_template(t); !ok) return std::unexpected(ok.error());
  return t;
}

// `extra` is merged into the answer (an import's "removed" list).
Result<net::Response> save_new_template(ApiContext& context, net::Request& request,
                                        const Principal& who, EmailTemplate t,
                                        const json::object& extra = {}) {
  t.created_at = t.updated_at = context.clock.now();
  std::optional<EmailTemplate> created;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto saved = repos.templates.create_template(who.user.workspace_id, t);
    if (!saved) return std::unexpected(saved.error());
    audit(repos, who, request, t.created_at, "template.create", "template", saved->id,
          {{"name", t.name}});
    created = std::move(*saved);
    return {};
  });
  if (!written) return std::unexpected(written.error());
  json::object body = template_json(*created);
  for (const auto& [key, value] : extra) body[key] = value;
  return json_response(201, body);
}

Result<net::Response> create_template(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto t = read_template(*body);
  if (!t) return std::unexpected(t.error());
  return save_new_template(context, request, who, std::move(*t));
}

Result<net::Response> update_template(ApiContext& context, net::Request& request,
                                      const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  auto t = read_template(*body);
  if (!t) return std::unexpected(t.error());
  const auto now = context.clock.now();
  std::optional<EmailTemplate> updated;
  auto written = context.store.write([&](Repositories& repos) -> Result<void> {
    auto existing = repos.templates.find_template(who.user.workspace_id, *id);
    if (!existing) return not_found();
    t->id = *id;
    t->created_at = existing->created_at;
    t->updated_at = now;
    if (auto ok = repos.templates.update_template(who.user.workspace_id, *t); !ok) return ok;
    audit(repos, who, request, now, "template.update", "template", *id, {{"name", t->name}});
    updated = *t;
    return {};
  });
  if (!written) return std::unexpected(written.error());
  return json_response(200, template_json(*updated));
}

// The person a preview is rendered for: the body's "target", or a sample.
Result<TemplateContext> preview_context(const ApiContext& context, const json::object& body) {
  FieldReader reader(body);
  TemplateContext values{
      "Alex", "Morgan", "alex.morgan@example.com", "Pharmacy Technician", "", "", "", "", ""};
  auto target = reader.object("target");
  if (!target) return std::unexpected(target.error());
  if (*target != nullptr) {
    FieldReader fields(**target, "target.");
    if (auto ok = fields.only({"email", "first_name", "last_name", "position"}); !ok) {
      return std::unexpected(ok.error());
    }
    for (auto [key, out] :
         {std::pair{"email", &values.email}, std::pair{"first_name", &values.first_name},
          std::pair{"last_name", &values.last_name}, std::pair{"position", &values.position}}) {
      auto text = fields.string(key, false, *out);
      if (!text) return std::unexpected(text.error());
      *out = std::move(*text);
    }
  }
  values.rid = crypto::random_token(16);
  values.base_url = context.phish_base_url;
  values.url = context.phish_base_url + "/?rid=" + values.rid;
  values.tracking_url = context.phish_base_url + "/track?rid=" + values.rid;
  return values;
}

// Renders a template's subject and bodies for `values`.
Result<net::Response> render_preview(TemplateContext& values, const EmailTemplate& t) {
  values.from = t.from;
  auto render = [&](const std::string& source, std::string_view field,
                    RenderMode mode) -> Result<std::string> {
    auto compiled = CompiledTemplate::compile(source, field);
    if (!compiled) return std::unexpected(compiled.error());
    return compiled->render(values, mode);
  };
  auto subject = render(t.subject, "subject", RenderMode::kHeader);
  auto html = render(t.html, "html", RenderMode::kHtml);
  auto text = render(t.text, "text", RenderMode::kText);
  if (!subject) return std::unexpected(subject.error());
  if (!html) return std::unexpected(html.error());
  if (!text) return std::unexpected(text.error());
  return json_response(
      200, json::object{{"subject", *subject}, {"html", *html}, {"text", *text}, {"from", t.from}});
}

Result<net::Response> preview_template(ApiContext& context, net::Request& request,
                                       const Principal& who) {
  auto id = path_id(request);
  if (!id) return std::unexpected(id.error());
  auto body = parse_body(request, true);
  if (!body) return std::unexpected(body.error());
  if (auto ok = FieldReader(*body).only({"target"}); !ok) return std::unexpected(ok.error());
  auto values = preview_context(context, *body);
  if (!values) return std::unexpected(values.error());
  std::optional<EmailTemplate> t;
  auto read = context.store.read([&](Repositories& repos) -> Result<void> {
    t = repos.templates.find_template(who.user.workspace_id, *id);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  if (!t) return not_found();
  return render_preview(*values, *t);
}

// POST /templates/preview {"template": {...as for create...}, "target": {...}}:
// the editor's live preview of unsaved work, checked like a save.
Result<net::Response> preview_draft(ApiContext& context, net::Request& request, const Principal&) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"template", "target"}); !ok) return std::unexpected(ok.error());
  auto draft = reader.object("template");
  if (!draft) return std::unexpected(draft.error());
  if (*draft == nullptr) return fail(ErrorCode::kValidation, "template is required", "template");
  // An unsaved template may not be named yet; everything else is checked.
  json::object fields = **draft;
  if (!fields.contains("name") || fields.at("name") == json::value("")) fields["name"] = "preview";
  auto t = read_template(fields);
  if (!t) return std::unexpected(t.error());
  auto values = preview_context(context, *body);
  if (!values) return std::unexpected(values.error());
  return render_preview(*values, *t);
}

Result<net::Response> import_eml(ApiContext& context, net::Request& request, const Principal& who) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  FieldReader reader(*body);
  if (auto ok = reader.only({"content", "convert_links", "name"}); !ok) {
    return std::unexpected(ok.error());
  }
  auto content = reader.string("content", true);
  if (!content) return std::unexpected(content.error());
  auto convert = reader.boolean("convert_links", true);
  if (!convert) return std::unexpected(convert.error());
  auto name = reader.string("name");
  if (!name) return std::unexpected(name.error());
  auto message = phishdrill::import_eml(*content, *convert);
  if (!message) return std::unexpected(message.error());

  EmailTemplate t;
  t.name = *name;
  t.subject = message->subject;
  t.html = message->html;
  t.text = message->text;
  t.from = message->from;
  for (auto& a : message->attachments) {
    t.attachments.push_back({a.name, a.content_type, a.content_base64});
  }
  json::array removed;
  for (const std::string& what : message->removed) removed.emplace_back(what);
  const json::object extra{{"removed", std::move(removed)}};
  if (reader.has("name")) {
    if (auto ok = validate_email_template(t); !ok) return std::unexpected(ok.error());
    return save_new_template(context, request, who, std::move(t), extra);
  }
  auto draft = template_json(t);
  for (const char* key : {"id", "name", "created_at", "updated_at"}) draft.erase(key);
  for (const auto& [key, value] : extra) draft[key] = value;
  return json_response(200, draft);
}

}  // namespace

void add_template_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add(
      "GET", "/api/v1/templates",
      guard(
          ctx, Role::kViewer,
          list_handler<EmailTemplate>(
              ctx, service::list_owned([](Repositories& repos, std::int64_t ws, PageRequest page) {
                return repos.templates.list_templates(ws, page);
              }),
              template_json)));
  router.add("POST", "/api/v1/templates", guard(ctx, Role::kOperator, handler(create_template)),
             kLargeBodyLimit);
  router.add("POST", "/api/v1/templates/import-eml",
             guard(ctx, Role::kOperator, handler(import_eml)), kLargeBodyLimit);
  router.add(
      "GET", "/api/v1/templates/{id}",
      guard(ctx, Role::kViewer,
            get_handler(
                ctx, service::find_owned([](Repositories& repos, std::int64_t ws, std::int64_t id) {
                  return repos.templates.find_template(ws, id);
                }),
                template_json)));
  router.add("PUT", "/api/v1/templates/{id}", guard(ctx, Role::kOperator, handler(update_template)),
             kLargeBodyLimit);
  router.add(
      "DELETE", "/api/v1/templates/{id}",
      guard(ctx, Role::kOperator,
            delete_handler(ctx, service::delete_owned(
                                    [](Repositories& repos, std::int64_t ws, std::int64_t id) {
                                      return repos.templates.delete_template(ws, id);
                                    },
                                    "template.delete", "template"))));
  router.add("POST", "/api/v1/templates/preview",
             guard(ctx, Role::kViewer, handler(preview_draft)));
  router.add("POST", "/api/v1/templates/{id}/preview",
             guard(ctx, Role::kViewer, handler(preview_template)));
}

}  // namespace phishdrill::api
