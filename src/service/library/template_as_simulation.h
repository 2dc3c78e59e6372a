// A workspace's own template (and the landing page chosen for it) written
// as a library simulation, for export in a pack: its sender, subject,
// bodies, HTML attachments, red flags, its author's Phish Scale cues and
// category, and the premise answers given. The workspace's branding goes
// back to the library's variables (its name to {{.OrgName}}, its domain to
// {{.OrgDomain}}) so another organisation's import rebrands it. Channel:
// attachment with attachments, qr-code with {{.QRCode}}, else email.
// Only what a pack cannot hold is refused here (kValidation naming the
// template: no category, no text body, a non-HTML attachment); the
// library's own rules are then checked by parse_simulation. Pure;
// thread-safe.
#pragma once

#include <string>

#include "core/email_template.h"
#include "core/error.h"
#include "core/landing_page.h"
#include "core/phish_scale.h"
#include "library/simulation.h"
#include "service/library/use_simulation.h"

namespace phishdrill::service {

struct TemplateExport {
  const EmailTemplate* tmpl = nullptr;
  const LandingPage* page = nullptr;  // optional
  std::string slug;                   // the folder's name
  std::string language;               // "en", "es"
  PremiseRatings premise;
  Branding branding;
};

Result<Simulation> template_as_simulation(const TemplateExport& source);

}  // namespace phishdrill::service
