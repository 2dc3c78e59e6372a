// A person's other addresses (a private mailbox they forward reports from, an
// old address still in use): reports from an alias count as the person's.
// Replacing them validates every address (at most 20, each a valid address,
// normalised; the person's own address is dropped, duplicates merged) and
// audits the change. Another workspace's person behaves as unknown
// (kNotFound); an address that is someone else's is kConflict (field
// "aliases"). Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

Result<std::vector<std::string>> target_aliases(Store& store, std::int64_t workspace_id,
                                                std::int64_t target_id);

Result<std::vector<std::string>> replace_target_aliases(Store& store, const Caller& caller,
                                                        std::int64_t now, std::int64_t target_id,
                                                        const std::vector<std::string>& aliases);

}  // namespace phishdrill::service
