#include "phish/content_cache.h"

#include "phish/landing_renderer.h"

namespace phishdrill::phish {
namespace {

// Marks where the rid goes; it cannot occur in HTML escaped by rewrite_forms.
constexpr std::string_view kRidMarker = "\x01rid\x01";

}  // namespace

std::string PreparedPage::render(const std::string& rid) const {
  std::string out = before_rid;
  for (const auto& piece : pieces) {
    out += rid;
    out += piece;
  }
  return out;
}

std::shared_ptr<const PreparedPage> ContentCache::page(std::int64_t workspace_id,
                                                       std::int64_t page_id,
                                                       const std::string& action_base) {
  const auto now = Clock::now();
  const std::string key = std::to_string(page_id) + " " + action_base;
  {
    std::lock_guard lock(mutex_);
    if (auto it = pages_.find(key); it != pages_.end() && it->second.expires > now) {
      return it->second.value;
    }
  }
  std::optional<LandingPage> loaded;
  (void)store_.read([&](Repositories& repos) -> Result<void> {
    loaded = repos.templates.find_page(workspace_id, page_id);
    return {};
  });
  if (!loaded) return nullptr;
  auto prepared = std::make_shared<PreparedPage>();
  prepared->password_inputs = password_input_names(loaded->html);
  const std::string rewritten =
      rewrite_forms(loaded->html, action_base + std::string(kRidMarker), loaded->source_url);
  std::size_t start = 0;
  bool first = true;
  for (;;) {
    const auto at = rewritten.find(kRidMarker, start);
    const std::string piece =
        rewritten.substr(start, at == std::string::npos ? std::string::npos : at - start);
    if (first) {
      prepared->before_rid = piece;
      first = false;
    } else {
      prepared->pieces.push_back(piece);
    }
    if (at == std::string::npos) break;
    start = at + kRidMarker.size();
  }
  prepared->page = std::move(*loaded);
  std::lock_guard lock(mutex_);
  if (pages_.size() > 1000) pages_.clear();
  pages_[key] = {prepared, now + ttl_};
  return prepared;
}

std::shared_ptr<const CampaignVariant> ContentCache::variant(std::int64_t variant_id) {
  const auto now = Clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = variants_.find(variant_id); it != variants_.end() && it->second.expires > now) {
      return it->second.value;
    }
  }
  std::optional<CampaignVariant> loaded;
  (void)store_.read([&](Repositories& repos) -> Result<void> {
    loaded = repos.campaigns.find_variant(variant_id);
    return {};
  });
  if (!loaded) return nullptr;
  auto value = std::make_shared<const CampaignVariant>(std::move(*loaded));
  std::lock_guard lock(mutex_);
  if (variants_.size() > 1000) variants_.clear();
  variants_[variant_id] = {value, now + ttl_};
  return value;
}

}  // namespace phishdrill::phish
