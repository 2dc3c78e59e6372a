#include "phish/content_cache.h"

#include <algorithm>

#include "core/html_escape.h"
#include "core/secret_fields.h"
#include "phish/landing_renderer.h"

namespace phishdrill::phish {
namespace {

// Mark where the rid and the script go. U+0001 is removed from the page
// first, so the markers occur nowhere else.
constexpr std::string_view kRidMarker = "\x01r\x01";
constexpr std::string_view kScriptMarker = "\x01s\x01";

// Cuts `html` at every marker.
void cut(const std::string& html, PreparedPage& out) {
  std::size_t start = 0;
  for (;;) {
    const auto at = html.find('\x01', start);
    out.pieces.push_back(html.substr(start, at == std::string::npos ? at : at - start));
    if (at == std::string::npos) return;
    const bool rid = html.compare(at, kRidMarker.size(), kRidMarker) == 0;
    out.slots.push_back(rid ? PreparedPage::Slot::kRid : PreparedPage::Slot::kOwnScript);
    start = at + (rid ? kRidMarker.size() : kScriptMarker.size());
  }
}

void append_script(std::string& out, std::string_view nonce, std::string_view script) {
  out += "<script nonce=\"";
  append_html_escaped(out, nonce);
  out += "\">";
  for (std::size_t i = 0; i < script.size(); ++i) {
    out += script[i];
    if (script[i] == '<' && i + 1 < script.size() && script[i + 1] == '/') out += '\\';
  }
  out += "</script>";
}

}  // namespace

std::string PreparedPage::render(std::string_view rid, std::string_view nonce,
                                 std::string_view own_script) const {
  if (pieces.empty()) return {};
  std::string out = pieces.front();
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i] == Slot::kRid) {
      out += rid;
    } else if (!own_script.empty()) {
      append_script(out, nonce, own_script);
    }
    out += pieces[i + 1];
  }
  return out;
}

std::uint64_t ContentCache::pages_generation() const {
  return changes_ != nullptr ? changes_->current(ChangeTopic::kLandingPages) : 0;
}

Result<std::shared_ptr<const PreparedPage>> ContentCache::page(std::int64_t workspace_id,
                                                               std::int64_t page_id,
                                                               const std::string& action_base) {
  const auto now = Clock::now();
  const auto generation = pages_generation();
  const std::string key = std::to_string(page_id) + " " + action_base;
  {
    MutexLock lock(mutex_);
    if (auto it = pages_.find(key);
        it != pages_.end() && it->second.expires > now && it->second.generation == generation) {
      return it->second.value;
    }
  }
  auto loaded = PD_TRY(loaders_.page(workspace_id, page_id));
  if (!loaded) return nullptr;
  auto prepared = std::make_shared<PreparedPage>();
  prepared->secret_inputs = secret_fields_in_html(loaded->html);
  std::string html = loaded->html;
  std::erase(html, '\x01');
  std::string action = action_base;
  std::erase(action, '\x01');
  cut(rewrite_forms(html, action + std::string(kRidMarker), loaded->source_url, kScriptMarker),
      *prepared);
  prepared->page = std::move(*loaded);
  MutexLock lock(mutex_);
  if (pages_.size() > 1000) pages_.clear();
  pages_[key] = {prepared, now + ttl_, generation};
  return std::shared_ptr<const PreparedPage>(std::move(prepared));
}

Result<std::shared_ptr<const CampaignVariant>> ContentCache::variant(std::int64_t variant_id) {
  const auto now = Clock::now();
  {
    MutexLock lock(mutex_);
    if (auto it = variants_.find(variant_id); it != variants_.end() && it->second.expires > now) {
      return it->second.value;
    }
  }
  auto loaded = PD_TRY(loaders_.variant(variant_id));
  if (!loaded) return nullptr;
  auto value = std::make_shared<const CampaignVariant>(std::move(*loaded));
  MutexLock lock(mutex_);
  if (variants_.size() > 1000) variants_.clear();
  variants_[variant_id] = {value, now + ttl_};
  return std::shared_ptr<const CampaignVariant>(std::move(value));
}

}  // namespace phishdrill::phish
