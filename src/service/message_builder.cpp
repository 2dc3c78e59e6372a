#include "service/message_builder.h"

#include "core/ascii.h"
#include "core/base64.h"
#include "core/email_address.h"
#include "core/email_template.h"
#include "core/html_escape.h"
#include "mail/qr_image.h"

namespace phishdrill::service {

Result<const MessageBuilder::Compiled*> MessageBuilder::compiled(const CampaignVariant& variant) {
  if (auto it = cache_.find(variant.id); it != cache_.end()) return &it->second;
  Compiled c;
  const auto& t = variant.content;
  auto subject = CompiledTemplate::compile(t.subject, "subject");
  if (!subject) return std::unexpected(subject.error());
  auto html = CompiledTemplate::compile(t.html, "html");
  if (!html) return std::unexpected(html.error());
  auto text = CompiledTemplate::compile(t.text, "text");
  if (!text) return std::unexpected(text.error());
  c.subject = std::move(*subject);
  c.html = std::move(*html);
  c.text = std::move(*text);
  c.qr_code = c.html.uses(TemplateVar::kQrCode);
  for (const auto& a : t.attachments) {
    std::optional<CompiledTemplate> compiled;
    if (is_template_attachment(a)) {
      // Validated on save; one stored before that and not a template goes as it is.
      if (const auto content = base64_decode(a.content_base64)) {
        if (auto parsed = CompiledTemplate::compile(*content, "attachments")) {
          compiled = std::move(*parsed);
        }
      }
    }
    c.attachments.push_back(std::move(compiled));
  }
  for (const auto& h : t.headers) {
    auto value = CompiledTemplate::compile(h.value, "headers");
    if (!value) return std::unexpected(value.error());
    c.headers.emplace_back(h.name, std::move(*value));
  }
  if (cache_.size() > 256) cache_.clear();
  return &cache_.emplace(variant.id, std::move(c)).first->second;
}

TemplateContext MessageBuilder::context_for(const Recipient& r, const std::string& from,
                                            const std::string& base_url) const {
  TemplateContext context;
  context.first_name = r.fields.first_name;
  context.last_name = r.fields.last_name;
  context.email = r.fields.email;
  context.position = r.fields.position;
  context.from = from;
  context.rid = r.rid;
  context.base_url = base_url;
  context.url = base_url + "/?" + links_.rid_parameter + "=" + r.rid;
  context.tracking_url = base_url + links_.track_path + "?" + links_.rid_parameter + "=" + r.rid;
  return context;
}

namespace {

// Inserts an invisible, unfocusable link before the last </body> (any case),
// or at the end. Searches in place: this runs once per message.
void add_decoy(std::string& html, const std::string& url) {
  const std::string link = "<a href=\"" + html_escape(url) +
                           "\" style=\"display:none\" aria-hidden=\"true\" tabindex=\"-1\"></a>";
  const std::size_t body_end = ascii_irfind(html, "</body>");
  html.insert(body_end == std::string::npos ? html.size() : body_end, link);
}

}  // namespace

Result<OutgoingMessage> MessageBuilder::build(const Recipient& r, const CampaignVariant& variant,
                                              const SendingProfile& profile,
                                              const std::string& base_url) {
  auto templates = compiled(variant);
  if (!templates) return std::unexpected(templates.error());
  const std::string& from_text = variant.content.from.empty() ? profile.from : variant.content.from;
  auto from = parse_mailbox(from_text, "from");
  if (!from) return std::unexpected(from.error());
  const TemplateContext context = context_for(r, from_text, base_url);

  OutgoingMessage m;
  m.from_name = from->name;
  m.from_address = from->address;
  m.to_name = r.fields.first_name.empty() && r.fields.last_name.empty()
                  ? std::string()
                  : trim(r.fields.first_name + " " + r.fields.last_name);
  m.to_address = r.fields.email;
  m.subject = (*templates)->subject.render(context, RenderMode::kHeader);
  m.html = (*templates)->html.render(context, RenderMode::kHtml);
  if (!m.html.empty())
    add_decoy(m.html, base_url + links_.decoy_path + "?" + links_.rid_parameter + "=" + r.rid);
  m.text = (*templates)->text.render(context, RenderMode::kText);
  m.headers = profile.headers;
  for (const auto& [name, value] : (*templates)->headers) {
    m.headers.push_back({name, value.render(context, RenderMode::kHeader)});
  }
  m.attachments = variant.content.attachments;
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    if (const auto& compiled = (*templates)->attachments[i]) {
      m.attachments[i].content_base64 = base64_encode(compiled->render(context, RenderMode::kHtml));
    }
  }
  if ((*templates)->qr_code) {
    // The person's own link as a QR code, shown inline where the HTML says.
    auto png = qr_png(context.url);
    if (!png) return std::unexpected(png.error());
    m.attachments.push_back({kQrImageName, "image/png", base64_encode(*png)});
  }
  m.message_id = r.message_id;
  return m;
}

}  // namespace phishdrill::service
