#include "store/change_notices.h"

namespace phishdrill {
namespace {

constexpr std::array<std::string_view, kChangeTopicCount> kNames = {
    "campaigns", "landing_pages", "sending_profiles", "training_modules"};

}  // namespace

std::string_view topic_name(ChangeTopic topic) { return kNames[static_cast<std::size_t>(topic)]; }

std::optional<ChangeTopic> topic_named(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<ChangeTopic>(i);
  }
  return std::nullopt;
}

void PendingNotices::publish(ChangeGenerations& generations) {
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i]) generations.bump(static_cast<ChangeTopic>(i));
  }
  clear();
}

}  // namespace phishdrill
