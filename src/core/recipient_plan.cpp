#include "core/recipient_plan.h"

namespace phishdrill {

Result<RecipientPlanner> RecipientPlanner::create(std::size_t count,
                                                  std::vector<VariantChoice> variants,
                                                  SendPlanInput plan) {
  if (variants.empty()) return fail(ErrorCode::kValidation, "choose a template", "templates");
  plan.count = count;
  RecipientPlanner planner;
  planner.times_ = PD_TRY(plan_send_times(plan));
  planner.order_ = shuffled_order(count, plan.seed);
  planner.seed_ = plan.seed;
  for (const auto& v : variants) planner.weights_.push_back(v.weight);
  planner.variants_ = std::move(variants);
  return planner;
}

Result<std::vector<Recipient>> RecipientPlanner::plan(const std::vector<Target>& targets,
                                                      const NewRid& new_rid,
                                                      const NewMessageId& new_message_id) {
  if (targets.size() > order_.size() - next_) {
    return fail(ErrorCode::kConflict, "the campaign's groups changed during the launch; try again",
                "group_ids");
  }
  std::vector<Recipient> recipients;
  recipients.reserve(targets.size());
  for (const Target& target : targets) {
    Recipient r;
    r.target_id = target.id;
    r.fields = target.fields;
    r.variant_id =
        variants_[pick_weighted(seed_, static_cast<std::uint64_t>(target.id), weights_)].variant_id;
    r.send_at = times_[order_[next_++]];
    r.rid = new_rid();
    r.message_id = new_message_id(r.variant_id);
    recipients.push_back(std::move(r));
  }
  return recipients;
}

Result<std::vector<Recipient>> plan_recipients(const std::vector<Target>& targets,
                                               const std::vector<VariantChoice>& variants,
                                               SendPlanInput plan, const NewRid& new_rid,
                                               const NewMessageId& new_message_id) {
  auto planner = PD_TRY(RecipientPlanner::create(targets.size(), variants, plan));
  return planner.plan(targets, new_rid, new_message_id);
}

}  // namespace phishdrill
