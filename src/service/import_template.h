// Importing a template from an .eml file: the message's subject, From, HTML
// and text bodies and attachments become a template (active content taken out
// of the HTML and listed; links optionally pointed at {{.URL}}). With a name
// it is validated and saved in the caller's library (audited as
// template.create); without one it is returned unsaved, for the editor.
// Contract: an unreadable message is kValidation (field "content"); a named
// template that breaks a rule is kValidation, a taken name kConflict.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/email_template.h"
#include "core/error.h"
#include "service/templates.h"

namespace phishdrill::service {

struct EmlImport {
  std::string content;  // the raw RFC 5322 message
  bool convert_links = false;
  std::optional<std::string> name;  // save under this name; nullopt = don't save
};

struct ImportedTemplate {
  EmailTemplate tmpl;  // as saved (with id and dates), or the unsaved draft
  bool saved = false;
  std::vector<std::string> removed;  // active content taken out of the HTML
};

Result<ImportedTemplate> import_template(Templates& library, const Caller& caller,
                                         const EmlImport& request);

}  // namespace phishdrill::service
