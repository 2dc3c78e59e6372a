// The workspace a caller acts in, for "who am I" (any role). Opens its own
// read transaction. Thread-compatible.
#pragma once

#include <optional>

#include "core/error.h"
#include "core/user.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

Result<std::optional<Workspace>> my_workspace(Store& store, const Caller& caller);

}  // namespace phishdrill::service
