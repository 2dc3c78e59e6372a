// Using a library simulation in a workspace: the simulation branded for the
// workspace ({{.OrgName}} = its name; {{.OrgDomain}} = the domain most of
// its people's addresses share, "example.org" while it has nobody) and
// copied in as an ordinary email template and, when it has one, a landing
// page — which the organisation may then edit like its own. The copy is
// named "Library: <title>", with " (2)", " (3)"… when that is taken, or as
// asked (kConflict when taken); template and page are created together or
// not at all, and
// audited as library.use. A qr-code simulation's {{.QRCode}} and an
// attachment simulation's HTML file stay templates, filled for each person
// when sent (each gets their own code and link). The copy carries the
// simulation's Phish Scale settings (core/template_scale.h): its category,
// its slug, its author's cues, and detected spelling dismissed (the
// library's authors list the misspellings they meant). Thread-safe as the
// ports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/email_template.h"
#include "core/error.h"
#include "core/landing_page.h"
#include "library/simulation.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

struct Branding {
  std::string org_name;
  std::string org_domain;
  bool placeholder_domain = false;  // "example.org": the workspace has nobody yet
};

Result<Branding> workspace_branding(Store& store, std::int64_t workspace_id);

// The simulation's email as a template named `name` (not validated or saved).
EmailTemplate branded_template(const Simulation& simulation, const Branding& branding,
                               std::string name);
// Its landing page named `name`; nullopt when it has none.
std::optional<LandingPage> branded_page(const Simulation& simulation, const Branding& branding,
                                        std::string name);

struct UsedSimulation {
  EmailTemplate tmpl;
  std::optional<LandingPage> page;
};

Result<UsedSimulation> use_simulation(Store& store, const Caller& caller,
                                      const Simulation& simulation,
                                      const std::optional<std::string>& name, std::int64_t now);

}  // namespace phishdrill::service
