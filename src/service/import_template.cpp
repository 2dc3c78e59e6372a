#include "service/import_template.h"

#include "mail/eml_import.h"

namespace phishdrill::service {

Result<ImportedTemplate> import_template(Templates& library, const Caller& caller,
                                         const EmlImport& request) {
  auto message = PD_TRY(import_eml(request.content, request.convert_links));
  ImportedTemplate out;
  EmailTemplate& t = out.tmpl;
  t.name = request.name.value_or("");
  t.subject = std::move(message.subject);
  t.html = std::move(message.html);
  t.text = std::move(message.text);
  t.from = std::move(message.from);
  for (auto& a : message.attachments) {
    t.attachments.push_back(
        {std::move(a.name), std::move(a.content_type), std::move(a.content_base64)});
  }
  out.removed = std::move(message.removed);
  if (!request.name) return out;
  PD_TRY(validate_email_template(t));
  t = PD_TRY(library.create(caller, std::move(t)));
  out.saved = true;
  return out;
}

}  // namespace phishdrill::service
