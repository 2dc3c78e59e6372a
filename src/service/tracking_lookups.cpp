#include "service/tracking_lookups.h"

#include <string>

namespace phishdrill::service {
namespace {

// Runs `find` in a read transaction and returns what it found.
template <typename T, typename Find>
Result<std::optional<T>> read_one(Store& store, Find find) {
  std::optional<T> found;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    found = find(repos);
    return {};
  }));
  return found;
}

}  // namespace

Result<std::optional<RidInfo>> find_recipient_by_rid(Store& store, std::string_view rid) {
  return read_one<RidInfo>(store, [&](Repositories& repos) { return repos.events.find_rid(rid); });
}

Result<std::optional<LandingPage>> find_landing_page(Store& store, std::int64_t workspace_id,
                                                     std::int64_t page_id) {
  return read_one<LandingPage>(
      store, [&](Repositories& repos) { return repos.pages.find_page(workspace_id, page_id); });
}

Result<std::optional<CampaignVariant>> find_campaign_variant(Store& store,
                                                             std::int64_t variant_id) {
  return read_one<CampaignVariant>(
      store, [&](Repositories& repos) { return repos.campaigns.find_variant(variant_id); });
}

}  // namespace phishdrill::service
