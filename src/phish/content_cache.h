// ContentCache: landing pages and campaign variants as the phish server needs
// them, kept for a few seconds so a click costs no database read and no HTML
// parsing: each page is parsed once, its forms rewritten around a rid
// placeholder, and its password inputs collected. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/landing_page.h"
#include "store/store.h"

namespace phishdrill::phish {

struct PreparedPage {
  LandingPage page;
  std::string before_rid;           // rewritten HTML up to the rid in the form action …
  std::vector<std::string> pieces;  // … and the pieces between further occurrences
  std::set<std::string> password_inputs;

  // The page with every form posting back to `action_prefix` + rid.
  std::string render(const std::string& rid) const;
};

class ContentCache {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ContentCache(Store& store, std::chrono::seconds ttl = std::chrono::seconds(5))
      : store_(store), ttl_(ttl) {}

  // `action_base`: e.g. "https://p.example/?rid=" — the rid is appended.
  std::shared_ptr<const PreparedPage> page(std::int64_t workspace_id, std::int64_t page_id,
                                           const std::string& action_base);
  std::shared_ptr<const CampaignVariant> variant(std::int64_t variant_id);

 private:
  template <typename T>
  struct Entry {
    std::shared_ptr<const T> value;
    Clock::time_point expires;
  };
  Store& store_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry<PreparedPage>> pages_;  // key: page id + action base
  std::unordered_map<std::int64_t, Entry<CampaignVariant>> variants_;
};

}  // namespace phishdrill::phish
