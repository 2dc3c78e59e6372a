#include "service/portal_start.h"

#include <vector>

#include "crypto/sodium.h"

namespace phishdrill::service {
namespace {

constexpr std::size_t kMaxRidLength = 128;

// The open assignment a start link is issued for: the campaign's own
// follow-up, else the person's first open one (open ones come first).
std::optional<Assignment> start_assignment(const std::vector<Assignment>& assignments,
                                           std::int64_t campaign_id) {
  std::optional<Assignment> first_open;
  for (const auto& a : assignments) {
    if (!a.open()) continue;
    if (a.campaign_id == campaign_id) return a;
    if (!first_open) first_open = a;
  }
  return first_open;
}

}  // namespace

Result<std::optional<std::string>> issue_start_link(Store& store, const TokenSource& tokens,
                                                    std::string_view rid, std::int64_t now) {
  std::optional<RidInfo> info;
  if (!rid.empty() && rid.size() <= kMaxRidLength) {
    PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
      info = repos.events.find_rid(rid);
      return {};
    }));
  }
  if (!info || info->campaign_status != CampaignStatus::kActive || !info->has_follow_up) {
    return fail(ErrorCode::kNotFound, "no training link for this rid");
  }
  const std::string token = tokens.token(32);
  bool issued = false;
  PD_TRY(store.write([&](Repositories& repos) -> Result<void> {
    const auto assignment = start_assignment(
        repos.portal.assignments_of_target(info->workspace_id, info->target_id), info->campaign_id);
    if (!assignment) return {};
    const auto days = repos.training.settings(info->workspace_id).link_valid_days;
    repos.portal.replace_start_link(info->workspace_id, info->target_id, assignment->id,
                                    crypto::hash_token(token), now,
                                    now + static_cast<std::int64_t>(days) * 86400);
    issued = true;
    return {};
  }));
  if (!issued) return std::nullopt;
  return token;
}

}  // namespace phishdrill::service
