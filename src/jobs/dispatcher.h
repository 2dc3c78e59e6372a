// Dispatcher: the sending queue. Worker threads claim due recipients (and,
// when none is due, training emails) under a
// lease, render their message, wait for the profile's rate limit, send it
// through the profile's transport (kept open and reused by that worker), and
// record the outcome with its event in one transaction: sent; temporary
// refusal → queued again after a backoff; permanent refusal → failed with the
// relay's reply. A lease that expires (the process died mid-send) returns the
// recipient to the queue; its resend carries the same Message-ID. The number
// of workers bounds the open connections. Thread-safe: start()/stop()/wake()
// may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/rate_limiter.h"
#include "core/retry_policy.h"
#include "core/sending_profile.h"
#include "jobs/message_builder.h"
#include "mail/mail_transport.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::jobs {

// Creates the transport for a profile (with its opened password).
using TransportFactory =
    std::function<std::unique_ptr<MailTransport>(const SendingProfile&, const std::string&)>;

// Training emails (assignment notices and reminders) go through the same
// workers, transports and per-profile rate limits, after campaign messages.
struct TrainingMailOptions {
  std::shared_ptr<const TrainingCatalogue> catalogue;  // null = no training emails
  std::string portal_path = "/learn";                  // on the phish server
};

struct DispatcherOptions {
  int workers = 4;
  int lease_seconds = 60;
  RetryPolicy retry;
  std::chrono::milliseconds idle_poll{500};
  std::string default_base_url;  // the phish server's public base URL
  LinkStyle links;
  TrainingMailOptions training;
};

class Dispatcher {
 public:
  Dispatcher(Store& store, const Clock& clock, DispatcherOptions options,
             TransportFactory transports);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void start();
  void stop();
  // Tells idle workers to look for work now (after a launch).
  void wake();

 private:
  class Worker;
  void run_worker(int index);
  bool sleep_for(std::chrono::milliseconds duration);

  Store& store_;
  const Clock& clock_;
  DispatcherOptions options_;
  TransportFactory transports_;
  RateLimiter limiter_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::uint64_t wake_generation_ = 0;
  std::vector<std::jthread> threads_;
};

}  // namespace phishdrill::jobs
