#include "service/templates.h"

#include "library/library_vocabulary.h"
#include "service/audit.h"

namespace phishdrill::service {
namespace {}  // namespace

Result<Page<EmailTemplate>> Templates::list(const Caller& caller, PageRequest page) {
  Page<EmailTemplate> out;
  PD_TRY(store_.read([&](Repositories& repos) -> Result<void> {
    out = repos.templates.list_templates(caller.workspace_id, page);
    return {};
  }));
  return out;
}

Result<EmailTemplate> Templates::get(const Caller& caller, std::int64_t id) {
  std::optional<EmailTemplate> found;
  PD_TRY(store_.read([&](Repositories& repos) -> Result<void> {
    found = repos.templates.find_template(caller.workspace_id, id);
    return {};
  }));
  if (!found) return not_found();
  return std::move(*found);
}

Result<EmailTemplate> Templates::create(const Caller& caller, EmailTemplate t) {
  PD_TRY(validate_template_scale(t.phish_scale, simulation_categories()));
  t.created_at = t.updated_at = clock_.now();
  EmailTemplate created;
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    created = PD_TRY(repos.templates.create_template(caller.workspace_id, t));
    audit(repos, caller, t.created_at, "template.create", "template", created.id,
          {{"name", t.name}});
    return {};
  }));
  return created;
}

Result<EmailTemplate> Templates::update(const Caller& caller, std::int64_t id, EmailTemplate t) {
  PD_TRY(validate_template_scale(t.phish_scale, simulation_categories()));
  const auto now = clock_.now();
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    const auto existing = repos.templates.find_template(caller.workspace_id, id);
    if (!existing) return not_found();
    t.id = id;
    t.created_at = existing->created_at;
    t.updated_at = now;
    PD_TRY(repos.templates.update_template(caller.workspace_id, t));
    audit(repos, caller, now, "template.update", "template", id, {{"name", t.name}});
    return {};
  }));
  return t;
}

Result<void> Templates::remove(const Caller& caller, std::int64_t id) {
  const auto now = clock_.now();
  return store_.write([&](Repositories& repos) -> Result<void> {
    if (!repos.templates.delete_template(caller.workspace_id, id)) return not_found();
    audit(repos, caller, now, "template.delete", "template", id);
    return {};
  });
}

}  // namespace phishdrill::service
