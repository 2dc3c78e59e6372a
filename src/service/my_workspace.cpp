#include "service/my_workspace.h"

namespace phishdrill::service {

Result<std::optional<Workspace>> my_workspace(Store& store, const Caller& caller) {
  std::optional<Workspace> workspace;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    workspace = repos.accounts.find_workspace(caller.workspace_id);
    return {};
  }));
  return workspace;
}

}  // namespace phishdrill::service
