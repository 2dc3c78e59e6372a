// What the phish server reads to answer a tracking hit: the recipient behind a
// rid (with its campaign's status), a workspace's landing page, and the
// campaign variant a recipient was sent. Each is one read transaction; a
// failed read is an Error, never taken for "unknown" (nullopt). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/landing_page.h"
#include "store/store.h"

namespace phishdrill::service {

Result<std::optional<RidInfo>> find_recipient_by_rid(Store& store, std::string_view rid);

Result<std::optional<LandingPage>> find_landing_page(Store& store, std::int64_t workspace_id,
                                                     std::int64_t page_id);

Result<std::optional<CampaignVariant>> find_campaign_variant(Store& store, std::int64_t variant_id);

}  // namespace phishdrill::service
