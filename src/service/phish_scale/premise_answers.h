// A workspace's own answers to the Phish Scale's premise questions, per
// library category or in general (category ""), which rate its templates
// (service/phish_scale/rate_templates.h). Saving replaces the category's
// answers; resetting goes back to the library's suggestion. Both audited
// (phish_scale.premise.update / .reset). Unknown categories: kValidation.
// Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/phish_scale.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

Result<void> save_premise_answers(Store& store, const Caller& caller, const std::string& category,
                                  const PremiseRatings& ratings, std::int64_t now);
// kNotFound when the workspace had no answers of its own there.
Result<void> reset_premise_answers(Store& store, const Caller& caller, const std::string& category,
                                   std::int64_t now);

}  // namespace phishdrill::service
