// EventWriter: the single writer of tracking hits. Handlers submit a hit with
// a completion; the writer thread takes everything queued, commits it in one
// transaction (group commit: events appended, recipients moved forward,
// campaign counters updated), and only then calls each completion — so a
// person's browser is answered only after the hit is durable. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "store/store.h"

namespace phishdrill::phish {

struct Hit {
  EventRecord event;
  std::string email;  // the recipient's, for webhook payloads
  int rank = 0;       // funnel step a human hit reaches (0 none)
  bool report = false;
  // > 0 for a decoy hit: the recipient's human hits within this many seconds
  // around it, from the same address and browser, are re-classified automated.
  int decoy_window_seconds = 0;
  // > 0 when this click crossed a burst or sweep threshold: that address's
  // human clicks in the preceding seconds are flagged suspect (still counted).
  int flag_address_back_seconds = 0;
};

class EventWriter {
 public:
  enum class Outcome {
    kRecorded,  // durable
    kRejected,  // the campaign is no longer active: nothing recorded
    kFailed,    // the commit failed
  };
  using Done = std::function<void(Outcome)>;

  explicit EventWriter(Store& store, std::size_t max_batch = 4096);
  ~EventWriter();
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  void submit(Hit hit, Done done);
  void stop();  // commits what is queued, then ends the thread

 private:
  void run();

  struct Item {
    Hit hit;
    Done done;
    Outcome outcome = Outcome::kRecorded;
  };
  Store& store_;
  std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  bool idle_ = false;  // the writer waits for work: only then is a wake-up needed
  std::jthread thread_;
};

}  // namespace phishdrill::phish
