#include "service/library/use_simulation.h"

#include "core/base64.h"
#include "core/text_rules.h"
#include "library/simulation_loader.h"
#include "service/audit.h"
#include "service/require_role.h"

namespace phishdrill::service {
namespace {

constexpr int kMaxNameAttempts = 50;

// {{.QRCode}} stays: the template language draws each person's code.
LibraryValues values_of(const Branding& branding) {
  return {branding.org_name, branding.org_domain, "{{.QRCode}}"};
}

// "name", then "name (2)", "name (3)"…
std::string numbered(const std::string& name, int attempt) {
  return attempt == 1 ? name : name + " (" + std::to_string(attempt) + ")";
}

}  // namespace

Result<Branding> workspace_branding(Store& store, std::int64_t workspace_id) {
  Branding branding;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    const auto workspace = repos.accounts.find_workspace(workspace_id);
    if (!workspace) return not_found();
    branding.org_name = workspace->name;
    const auto domains = repos.reporters.organisation_domains(workspace_id, 1);
    branding.placeholder_domain = domains.empty();
    branding.org_domain = domains.empty() ? "example.org" : domains.front();
    return {};
  }));
  return branding;
}

EmailTemplate branded_template(const Simulation& s, const Branding& branding, std::string name) {
  const LibraryValues values = values_of(branding);
  EmailTemplate t;
  t.name = std::move(name);
  t.subject = with_library_values(s.subject, values);
  t.from = with_library_values(s.from_name, values) + " <" +
           with_library_values(s.from_address, values) + ">";
  t.html = with_library_values(s.html, values);
  t.text = with_library_values(s.text, values);
  for (const auto& a : s.attachments) {
    t.attachments.push_back(
        {a.name, a.content_type, base64_encode(with_library_values(a.content, values))});
  }
  t.phish_scale.category = s.category;
  t.phish_scale.library_slug = s.slug;
  // The library's authors proofread, and list the misspellings they meant:
  // a dictionary's guesses at fictional names and medical terms do not count.
  t.phish_scale.dismissed = {"spelling_grammar"};
  for (const auto& cue : s.cues) {
    t.phish_scale.cues.push_back({cue.type, with_library_values(cue.where, values)});
  }
  for (const auto& flag : s.red_flags) {
    t.red_flags.push_back({flag.part, with_library_values(flag.text, values),
                           with_library_values(flag.explanation, values)});
  }
  return t;
}

std::optional<LandingPage> branded_page(const Simulation& s, const Branding& branding,
                                        std::string name) {
  if (s.landing.html.empty()) return std::nullopt;
  LandingPage page;
  page.name = std::move(name);
  page.html = with_library_values(s.landing.html, values_of(branding));
  page.capture = s.landing.capture == "fields" ? CapturePolicy::kFields : CapturePolicy::kNone;
  return page;
}

Result<UsedSimulation> use_simulation(Store& store, const Caller& caller, const Simulation& s,
                                      const std::optional<std::string>& name, std::int64_t now) {
  PD_TRY(require_role(caller, Role::kOperator));
  const std::string base = name ? trim(*name) : "Library: " + s.title;
  const Branding branding = PD_TRY(workspace_branding(store, caller.workspace_id));
  for (int attempt = 1; attempt <= kMaxNameAttempts; ++attempt) {
    UsedSimulation used;
    used.tmpl = branded_template(s, branding, numbered(base, attempt));
    used.page = branded_page(s, branding, numbered(base, attempt));
    PD_TRY(validate_email_template(used.tmpl));
    if (used.page) PD_TRY(validate_landing_page(*used.page));
    used.tmpl.created_at = used.tmpl.updated_at = now;
    if (used.page) used.page->created_at = used.page->updated_at = now;
    auto saved = store.write([&](Repositories& repos) -> Result<void> {
      used.tmpl = PD_TRY(repos.templates.create_template(caller.workspace_id, used.tmpl));
      if (used.page) used.page = PD_TRY(repos.pages.create_page(caller.workspace_id, *used.page));
      audit(repos, caller, now, "library.use", "template", used.tmpl.id,
            {{"simulation", s.slug},
             {"version", s.version},
             {"landing_page", used.page ? used.page->id : 0}});
      return {};
    });
    if (saved) return used;
    if (saved.error().code != ErrorCode::kConflict || name) return std::unexpected(saved.error());
  }
  return fail(ErrorCode::kConflict, "no free name for the copy; name it yourself", "name");
}

}  // namespace phishdrill::service
