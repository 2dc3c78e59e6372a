// Change notices: how a node's caches learn that data they hold changed,
// on whichever node it changed. A write transaction announces the topics it
// changed (ChangeNotices, one of the Repositories); once it commits, every
// store sharing the database bumps that topic's generation (ChangeGenerations):
// at once in the committing process, and within moments on the other nodes
// (PostgreSQL LISTEN/NOTIFY). A rolled-back announcement is never heard. A
// cache remembers the generation it loaded an entry under and drops the
// entry when the generation has moved. When a store may have missed notices
// (its listening connection broke) it bumps every topic.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace phishdrill {

enum class ChangeTopic : std::uint8_t {
  kCampaigns,        // a campaign's status, settings or recipients
  kLandingPages,     // a landing page's content
  kSendingProfiles,  // a sending profile's settings or password
  kTrainingModules,  // a workspace imported a training module
};
inline constexpr std::size_t kChangeTopicCount = 4;

std::string_view topic_name(ChangeTopic topic);
std::optional<ChangeTopic> topic_named(std::string_view name);

// Port: announces, inside a write transaction, what it changed.
class ChangeNotices {
 public:
  virtual ~ChangeNotices() = default;
  virtual void announce(ChangeTopic topic) = 0;
};

// The generation of each topic as this process has heard. Thread-safe.
class ChangeGenerations {
 public:
  std::uint64_t current(ChangeTopic topic) const {
    return counts_[static_cast<std::size_t>(topic)].load(std::memory_order_acquire);
  }
  void bump(ChangeTopic topic) {
    counts_[static_cast<std::size_t>(topic)].fetch_add(1, std::memory_order_acq_rel);
  }
  void bump_all() {
    for (auto& count : counts_) count.fetch_add(1, std::memory_order_acq_rel);
  }

 private:
  std::array<std::atomic<std::uint64_t>, kChangeTopicCount> counts_{};
};

// The topics one transaction announced, published once it commits: the
// in-process notices (all the SQLite store needs; PostgreSQL's also tell the
// other nodes).
class PendingNotices : public ChangeNotices {
 public:
  void announce(ChangeTopic topic) override { pending_[static_cast<std::size_t>(topic)] = true; }
  // Bumps each pending topic in `generations` and clears them.
  void publish(ChangeGenerations& generations);
  void clear() { pending_ = {}; }

 private:
  std::array<bool, kChangeTopicCount> pending_{};
};

}  // namespace phishdrill
