// The use cases every resource a workspace owns shares, behind the admin
// API's generic list, get and delete handlers: a page of them, one of them,
// and deleting one with its audit entry. Each factory takes the repository
// query and returns the use case as a callable that runs it in a transaction
// of its own, so a resource with no further rules needs no file here. Another
// workspace's id behaves as unknown (kNotFound). Thread-compatible.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <type_traits>
#include <utility>

#include "core/error.h"
#include "service/audit.h"
#include "service/caller.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

// `list(repos, workspace_id, page)` returns a Page<T>; the use case is
// (Store&, workspace_id, PageRequest) -> Result<Page<T>>.
template <typename List>
auto list_owned(List list) {
  using Items = std::invoke_result_t<List&, Repositories&, std::int64_t, PageRequest>;
  return [list](Store& store, std::int64_t workspace_id, PageRequest page) -> Result<Items> {
    Items items;
    PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
      items = list(repos, workspace_id, page);
      return {};
    }));
    return items;
  };
}

// `find(repos, workspace_id, id)` returns an optional T; the use case is
// (Store&, workspace_id, id) -> Result<T>, kNotFound when it is empty.
template <typename Find>
auto find_owned(Find find) {
  using Found = std::invoke_result_t<Find&, Repositories&, std::int64_t, std::int64_t>;
  using Item = typename Found::value_type;
  return [find](Store& store, std::int64_t workspace_id, std::int64_t id) -> Result<Item> {
    Found found;
    PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
      found = find(repos, workspace_id, id);
      return {};
    }));
    if (!found) return not_found();
    return std::move(*found);
  };
}

// `remove(repos, workspace_id, id)` returns whether it existed; the use case
// is (Store&, const Caller&, now, id) -> Result<void>, kNotFound when it did
// not, and the deletion is audited as `action` on `resource_type`.
template <typename Remove>
auto delete_owned(Remove remove, std::string action, std::string resource_type) {
  return
      [remove, action = std::move(action), resource_type = std::move(resource_type)](
          Store& store, const Caller& caller, std::int64_t now, std::int64_t id) -> Result<void> {
        return store.write([&](Repositories& repos) -> Result<void> {
          if (!remove(repos, caller.workspace_id, id)) return not_found();
          audit(repos, caller, now, action, resource_type, id);
          return {};
        });
      };
}

}  // namespace phishdrill::service
