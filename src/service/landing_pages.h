// Landing pages: list and find them, create, update and delete one. A page is
// validated here (validate_landing_page) before anything is read. Only an
// admin may let a page's own scripts run (allow_scripts, else kForbidden on
// "allow_scripts"); an operator may keep an admin's decision, not make one,
// and an operator's edit of such a page's HTML clears the flag. Each change is
// one transaction with its audit entry (allow_scripts and its value before,
// whenever either is on); another workspace's page behaves as unknown
// (kNotFound); names are unique per workspace (kConflict, field "name").
// Thread-compatible.
#pragma once

#include <cstdint>

#include "core/error.h"
#include "core/landing_page.h"
#include "service/caller.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

Result<Page<LandingPage>> list_pages(Store& store, std::int64_t workspace_id, PageRequest page);
Result<LandingPage> find_page(Store& store, std::int64_t workspace_id, std::int64_t id);
Result<LandingPage> create_page(Store& store, const Caller& caller, std::int64_t now,
                                LandingPage page);
Result<LandingPage> update_page(Store& store, const Caller& caller, std::int64_t now,
                                std::int64_t id, LandingPage page);
Result<void> delete_page(Store& store, const Caller& caller, std::int64_t now, std::int64_t id);

}  // namespace phishdrill::service
