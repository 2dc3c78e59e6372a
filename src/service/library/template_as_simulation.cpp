#include "service/library/template_as_simulation.h"

#include <fmt/format.h>

#include "core/base64.h"
#include "core/email_address.h"
#include "core/text_rules.h"
#include "core/utf8.h"

namespace phishdrill::service {
namespace {

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// The workspace's name and domain back to {{.OrgName}} and {{.OrgDomain}}
// (the domain first: a name may be part of it). The placeholder domain of
// a workspace without people is no brand, and names too short to be told
// from ordinary words stay.
class Unbrander {
 public:
  explicit Unbrander(const Branding& branding) : branding_(branding) {}

  std::string operator()(std::string text) const {
    if (!branding_.placeholder_domain && !branding_.org_domain.empty()) {
      replace_all(text, branding_.org_domain, "{{.OrgDomain}}");
    }
    if (utf8_length(branding_.org_name) >= 4) {
      replace_all(text, branding_.org_name, "{{.OrgName}}");
    }
    return text;
  }

 private:
  const Branding& branding_;
};

std::unexpected<Error> refused(const EmailTemplate& tmpl, std::string_view problem) {
  return fail(ErrorCode::kValidation, fmt::format("template \"{}\": {}", tmpl.name, problem),
              "templates");
}

Result<void> add_sender(const EmailTemplate& tmpl, const Unbrander& unbrand, Simulation& s) {
  if (tmpl.from.empty()) return refused(tmpl, "has no sender (From): a simulation needs one");
  const auto mailbox = parse_mailbox(tmpl.from, "from");
  if (!mailbox) return refused(tmpl, "its sender is not an address");
  s.from_address = unbrand(mailbox->address);
  s.from_name = unbrand(mailbox->name.empty() ? mailbox->address : mailbox->name);
  return {};
}

Result<void> add_attachments(const EmailTemplate& tmpl, const Unbrander& unbrand, Simulation& s) {
  for (const auto& a : tmpl.attachments) {
    if (a.content_type != "text/html") {
      return refused(
          tmpl, fmt::format("attachment \"{}\" is {}: a pack holds HTML attachments only", a.name,
                            a.content_type));
    }
    const auto content = base64_decode(a.content_base64);
    if (!content) return refused(tmpl, fmt::format("attachment \"{}\" is not base64", a.name));
    s.attachments.push_back({a.name, a.content_type, unbrand(*content)});
  }
  return {};
}

}  // namespace

Result<Simulation> template_as_simulation(const TemplateExport& source) {
  const EmailTemplate& tmpl = *source.tmpl;
  const Unbrander unbrand(source.branding);
  if (tmpl.phish_scale.category.empty()) {
    return refused(tmpl, "has no Phish Scale category: choose one in the editor");
  }
  if (tmpl.text.empty()) return refused(tmpl, "has no text body: a simulation needs both");
  Simulation s;
  s.slug = source.slug;
  s.title = std::string(utf8_prefix(tmpl.name, 120));
  s.summary = std::string(utf8_prefix(unbrand(tmpl.subject), 400));
  s.category = tmpl.phish_scale.category;
  s.language = source.language;
  s.audience = "everyone";
  s.subject = unbrand(tmpl.subject);
  s.html = unbrand(tmpl.html);
  s.text = unbrand(tmpl.text);
  PD_TRY(add_sender(tmpl, unbrand, s));
  PD_TRY(add_attachments(tmpl, unbrand, s));
  s.channel = !s.attachments.empty()                            ? "attachment"
              : s.html.find("{{.QRCode}}") != std::string::npos ? "qr-code"
                                                                : "email";
  if (source.page != nullptr) {
    s.landing.title = std::string(utf8_prefix(source.page->name, 120));
    s.landing.capture = source.page->capture == CapturePolicy::kNone ? "none" : "fields";
    s.landing.html = unbrand(source.page->html);
  }
  for (const auto& flag : tmpl.red_flags) {
    s.red_flags.push_back({flag.part, unbrand(flag.text), unbrand(flag.explanation)});
  }
  for (const auto& cue : tmpl.phish_scale.cues) s.cues.push_back({cue.type, unbrand(cue.where)});
  s.premise = source.premise;
  return s;
}

}  // namespace phishdrill::service
