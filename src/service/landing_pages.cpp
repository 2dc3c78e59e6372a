#include "service/landing_pages.h"

#include <boost/json.hpp>

#include "core/role.h"
#include "service/audit.h"
#include "service/owned_resources.h"

namespace phishdrill::service {
namespace {

Result<void> may_allow_scripts(const Caller& caller) {
  if (has_role(caller.role, Role::kAdmin)) return {};
  return fail(ErrorCode::kForbidden,
              "only an admin may allow a page's own scripts (allow_scripts); they could send what "
              "people type to another site",
              "allow_scripts");
}

// The audit details of a save: the name, and allow_scripts whenever it is on
// or changes.
boost::json::object page_audit(const LandingPage& page, bool scripts_before) {
  boost::json::object details{{"name", page.name}};
  if (page.allow_scripts || scripts_before) {
    details["allow_scripts"] = page.allow_scripts;
    details["allow_scripts_before"] = scripts_before;
  }
  return details;
}

// An operator may keep an admin's decision, not make one, and not extend it
// to HTML the admin has not seen.
Result<void> keep_scripts_decision(const Caller& caller, const LandingPage& existing,
                                   LandingPage& page) {
  if (has_role(caller.role, Role::kAdmin) || !page.allow_scripts) return {};
  if (!existing.allow_scripts) return may_allow_scripts(caller);
  if (page.html != existing.html) page.allow_scripts = false;
  return {};
}

}  // namespace

Result<Page<LandingPage>> list_pages(Store& store, std::int64_t workspace_id, PageRequest page) {
  return list_owned([](Repositories& repos, std::int64_t ws, PageRequest request) {
    return repos.pages.list_pages(ws, request);
  })(store, workspace_id, page);
}

Result<LandingPage> find_page(Store& store, std::int64_t workspace_id, std::int64_t id) {
  return find_owned([](Repositories& repos, std::int64_t ws, std::int64_t page_id) {
    return repos.pages.find_page(ws, page_id);
  })(store, workspace_id, id);
}

Result<LandingPage> create_page(Store& store, const Caller& caller, std::int64_t now,
                                LandingPage page) {
  PD_TRY(validate_landing_page(page));
  if (page.allow_scripts) PD_TRY(may_allow_scripts(caller));
  page.created_at = page.updated_at = now;
  LandingPage created;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    created = PD_TRY(repos.pages.create_page(caller.workspace_id, page));
    audit(repos, caller, now, "page.create", "page", created.id, page_audit(page, false));
    return {};
  }));
  return created;
}

Result<LandingPage> update_page(Store& store, const Caller& caller, std::int64_t now,
                                std::int64_t id, LandingPage page) {
  PD_TRY(validate_landing_page(page));
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    const auto existing = repos.pages.find_page(caller.workspace_id, id);
    if (!existing) return not_found();
    PD_TRY(keep_scripts_decision(caller, *existing, page));
    page.id = id;
    page.created_at = existing->created_at;
    page.updated_at = now;
    PD_TRY(repos.pages.update_page(caller.workspace_id, page));
    repos.notices.announce(ChangeTopic::kLandingPages);
    audit(repos, caller, now, "page.update", "page", id, page_audit(page, existing->allow_scripts));
    return {};
  }));
  return page;
}

Result<void> delete_page(Store& store, const Caller& caller, std::int64_t now, std::int64_t id) {
  return delete_owned(
      [](Repositories& repos, std::int64_t ws, std::int64_t page_id) {
        repos.notices.announce(ChangeTopic::kLandingPages);
        return repos.pages.delete_page(ws, page_id);
      },
      "page.delete", "page")(store, caller, now, id);
}

}  // namespace phishdrill::service
