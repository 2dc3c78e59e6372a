// Records one change in the audit log, in the caller's transaction. Details
// are a small JSON object that never holds a secret. Thread-compatible.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

void audit(Repositories& repos, const Caller& caller, std::int64_t now, std::string_view action,
           std::string_view resource_type, std::int64_t resource_id,
           const boost::json::object& details = {});

}  // namespace phishdrill::service
