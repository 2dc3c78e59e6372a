// Planning a launch: turns the campaign's targets into queued recipients —
// each person once, a template variant chosen by weight (reproducible from the
// campaign seed and the target id), a send time from the send plan given out
// in a shuffled order (so the first messages do not always go to the same
// department), and a fresh rid and Message-ID from the caller's generators.
// Pure apart from the generators; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/recipient.h"
#include "core/send_plan.h"
#include "core/target.h"

namespace phishdrill {

struct VariantChoice {
  std::int64_t variant_id = 0;
  int weight = 1;
};

Result<std::vector<Recipient>> plan_recipients(
    const std::vector<Target>& targets, const std::vector<VariantChoice>& variants,
    SendPlanInput plan, const std::function<std::string()>& new_rid,
    const std::function<std::string(std::int64_t variant_id)>& new_message_id);

}  // namespace phishdrill
