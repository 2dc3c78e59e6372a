#include "core/recipient_plan.h"

namespace phishdrill {

Result<std::vector<Recipient>> plan_recipients(
    const std::vector<Target>& targets, const std::vector<VariantChoice>& variants,
    SendPlanInput plan, const std::function<std::string()>& new_rid,
    const std::function<std::string(std::int64_t variant_id)>& new_message_id) {
  if (variants.empty()) return fail(ErrorCode::kValidation, "choose a template", "templates");
  plan.count = targets.size();
  auto times = plan_send_times(plan);
  if (!times) return std::unexpected(times.error());
  std::vector<int> weights;
  weights.reserve(variants.size());
  for (const auto& v : variants) weights.push_back(v.weight);
  const auto order = shuffled_order(targets.size(), plan.seed);

  std::vector<Recipient> recipients;
  recipients.reserve(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Target& target = targets[i];
    Recipient r;
    r.target_id = target.id;
    r.fields = target.fields;
    r.variant_id =
        variants[pick_weighted(plan.seed, static_cast<std::uint64_t>(target.id), weights)]
            .variant_id;
    r.send_at = (*times)[order[i]];
    r.rid = new_rid();
    r.message_id = new_message_id(r.variant_id);
    recipients.push_back(std::move(r));
  }
  return recipients;
}

}  // namespace phishdrill
