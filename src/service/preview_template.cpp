#include "service/preview_template.h"

#include <optional>
#include <string_view>

#include "core/base64.h"
#include "core/message_template.h"
#include "mail/qr_image.h"

namespace phishdrill::service {

Result<RenderedPreview> PreviewTemplate::saved(const Caller& caller, std::int64_t id,
                                               const PreviewPerson& person) {
  std::optional<EmailTemplate> t;
  PD_TRY(store_.read([&](Repositories& repos) -> Result<void> {
    t = repos.templates.find_template(caller.workspace_id, id);
    return {};
  }));
  if (!t) return not_found();
  return draft(*t, person);
}

Result<RenderedPreview> PreviewTemplate::draft(const EmailTemplate& t,
                                               const PreviewPerson& person) const {
  TemplateContext values{
      person.first_name, person.last_name, person.email, person.position, t.from, "", "",
      tokens_.token(16), base_url_};
  values.url = base_url_ + "/?rid=" + values.rid;
  values.tracking_url = base_url_ + "/track?rid=" + values.rid;
  if (const auto png = qr_png(values.url)) {
    values.qr_code_src = "data:image/png;base64," + base64_encode(*png);
  }
  const auto render = [&](const std::string& source, std::string_view part,
                          RenderMode mode) -> Result<std::string> {
    const auto compiled = PD_TRY(CompiledTemplate::compile(source, part));
    return compiled.render(values, mode);
  };
  RenderedPreview out;
  out.subject = PD_TRY(render(t.subject, "subject", RenderMode::kHeader));
  out.html = PD_TRY(render(t.html, "html", RenderMode::kHtml));
  out.text = PD_TRY(render(t.text, "text", RenderMode::kText));
  out.from = t.from;
  for (const auto& a : t.attachments) {
    if (!is_template_attachment(a)) continue;
    const std::string source = base64_decode(a.content_base64).value_or("");
    out.attachments.push_back({a.name, PD_TRY(render(source, "attachment", RenderMode::kHtml))});
  }
  return out;
}

}  // namespace phishdrill::service
