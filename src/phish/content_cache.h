// ContentCache: landing pages and campaign variants as the phish server needs
// them, kept for a few seconds so a click costs no database read and no HTML
// parsing: each page is parsed once, its forms rewritten around a rid
// placeholder (phish/landing_renderer.h), a slot left at the start of <head>
// for one Phishdrill script, and its secret inputs collected. What it caches
// comes from two loaders (service/tracking_lookups.h in production); a failed
// load is passed on and not cached. A page loaded before a landing-page change
// was announced (store/change_notices.h, on any node) is loaded again;
// variants never change once launched. Thread-safe; a PreparedPage is immutable
// once shared.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/landing_page.h"
#include "core/mutex.h"
#include "store/campaigns_repository.h"
#include "store/change_notices.h"

namespace phishdrill::phish {

struct PreparedPage {
  enum class Slot { kRid, kOwnScript };
  LandingPage page;
  std::vector<std::string> pieces;      // the rewritten HTML, cut at each slot:
  std::vector<Slot> slots;              // slots[i] goes between pieces[i] and pieces[i + 1]
  std::set<std::string> secret_inputs;  // secret_fields_in_html(page.html)

  // The page for one recipient: every form posts back to the action base +
  // `rid`. When `own_script` is not empty it is placed, as the one Phishdrill
  // script, in `<script nonce="NONCE">` at the start of <head> ("</" in it is
  // written "<\/" so it cannot close the element). `nonce` must be fresh per
  // response and match landing_page_policy(nonce, …) (phish/content_security.h).
  // The script should use absolute URLs: the page may carry a <base> of its own.
  std::string render(std::string_view rid, std::string_view nonce = {},
                     std::string_view own_script = {}) const;
};

class ContentCache {
 public:
  using Clock = std::chrono::steady_clock;
  struct Loaders {
    std::function<Result<std::optional<LandingPage>>(std::int64_t workspace_id,
                                                     std::int64_t page_id)>
        page;
    std::function<Result<std::optional<CampaignVariant>>(std::int64_t variant_id)> variant;
  };
  // `changes` null: pages only expire.
  explicit ContentCache(Loaders loaders, const ChangeGenerations* changes = nullptr,
                        std::chrono::seconds ttl = std::chrono::seconds(5))
      : loaders_(std::move(loaders)), changes_(changes), ttl_(ttl) {}

  // `action_base`: e.g. "https://p.example/?rid=" — the rid is appended.
  // nullptr when the workspace has no such page.
  Result<std::shared_ptr<const PreparedPage>> page(std::int64_t workspace_id, std::int64_t page_id,
                                                   const std::string& action_base);
  // nullptr when there is no such variant.
  Result<std::shared_ptr<const CampaignVariant>> variant(std::int64_t variant_id);

 private:
  template <typename T>
  struct Entry {
    std::shared_ptr<const T> value;
    Clock::time_point expires;
    std::uint64_t generation = 0;
  };
  std::uint64_t pages_generation() const;

  Loaders loaders_;
  const ChangeGenerations* changes_;
  std::chrono::seconds ttl_;
  Mutex mutex_;  // guards pages_ and variants_ (never held while loading)
  // key: page id + action base
  std::unordered_map<std::string, Entry<PreparedPage>> pages_ PD_GUARDED_BY(mutex_);
  std::unordered_map<std::int64_t, Entry<CampaignVariant>> variants_ PD_GUARDED_BY(mutex_);
};

}  // namespace phishdrill::phish
