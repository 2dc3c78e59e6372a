// EventWriter: the single writer of tracking hits. Handlers submit a hit with
// a completion; the writer thread takes everything queued and records it in
// one transaction (group commit, service/record_hits.h), and only then calls
// each completion — so a person's browser is answered only after the hit is
// durable. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "service/record_hits.h"
#include "store/store.h"

namespace phishdrill::phish {

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

  void submit(service::Hit hit, Done done);
  void stop();  // commits what is queued, then ends the thread

 private:
  void run();

  struct Item {
    service::Hit hit;
    Done done;
  };
  Store& store_;
  std::size_t max_batch_;
  mutable Mutex mutex_;  // guards queue_, stopping_ and idle_
  std::condition_variable ready_;
  std::vector<Item> queue_ PD_GUARDED_BY(mutex_);
  bool stopping_ PD_GUARDED_BY(mutex_) = false;
  // The writer waits for work: only then is a wake-up needed.
  bool idle_ PD_GUARDED_BY(mutex_) = false;
  std::jthread thread_;
};

}  // namespace phishdrill::phish
