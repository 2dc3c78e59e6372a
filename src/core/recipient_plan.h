// Planning a launch: turns the campaign's targets into queued recipients —
// each person once, a template variant chosen by weight (reproducible from the
// campaign seed and the target id), a send time from the send plan given out
// in a shuffled order (so the first messages do not always go to the same
// department), and a fresh rid and Message-ID from the caller's generators.
// RecipientPlanner plans a launch batch by batch, so a campaign of a million
// people is never held in memory at once: only its send times are.
// Pure apart from the generators; a planner is not thread-safe.
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

using NewRid = std::function<std::string()>;
using NewMessageId = std::function<std::string(std::int64_t variant_id)>;

class RecipientPlanner {
 public:
  // Plans `count` recipients (kValidation when the plan cannot hold them or
  // there is no variant).
  static Result<RecipientPlanner> create(std::size_t count, std::vector<VariantChoice> variants,
                                         SendPlanInput plan);

  // The next targets' recipients, in the order given. kConflict when this
  // would plan more recipients than counted.
  Result<std::vector<Recipient>> plan(const std::vector<Target>& targets, const NewRid& new_rid,
                                      const NewMessageId& new_message_id);
  std::size_t planned() const { return next_; }

 private:
  RecipientPlanner() = default;
  std::vector<VariantChoice> variants_;
  std::vector<int> weights_;
  std::uint64_t seed_ = 0;
  std::vector<std::int64_t> times_;
  std::vector<std::size_t> order_;
  std::size_t next_ = 0;
};

// All of `targets` at once (a planner over exactly these targets).
Result<std::vector<Recipient>> plan_recipients(const std::vector<Target>& targets,
                                               const std::vector<VariantChoice>& variants,
                                               SendPlanInput plan, const NewRid& new_rid,
                                               const NewMessageId& new_message_id);

}  // namespace phishdrill
