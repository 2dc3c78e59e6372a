// Dispatcher: the mail queues (campaign recipients, training emails, and the
// emails reports cause: service/reporting/send_report_mail.h) on the
// leased-queue worker (jobs/leased_queue_worker.h). Each thread claims a due
// recipient (and, when none is due or every few turns, a training email)
// under a lease and has the use case send it (service/send_campaign_mail.h,
// service/send_training_mail.h: render, wait for the profile's rate while
// renewing the lease, send through the profile's transport, kept open and
// reused by that thread) and record the verdict: sent; temporary refusal →
// queued again after a backoff; permanent refusal → failed with the relay's
// reply. A lease that expires (the process died mid-send) returns the
// recipient to the queue; its resend carries the same Message-ID. The number
// of workers bounds the open connections. Thread-safe: start()/stop()/wake()
// may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/retry_policy.h"
#include "core/secret_key.h"
#include "core/token_source.h"
#include "jobs/leased_queue_worker.h"
#include "service/mail_transports.h"
#include "service/message_builder.h"
#include "service/send_rate.h"
#include "service/send_training_mail.h"
#include "store/store.h"

namespace phishdrill::jobs {

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
  service::LinkStyle links;
  TrainingMailOptions training;
};

class Dispatcher {
 public:
  // Portal links in training emails come from `tokens`; relay passwords are
  // opened with `key`.
  Dispatcher(Store& store, const Clock& clock, const TokenSource& tokens, const SecretKey& key,
             DispatcherOptions options, service::TransportFactory transports);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void start();
  void stop();
  // Tells idle workers to look for work now (after a launch).
  void wake();

 private:
  class MailThread;

  Store& store_;
  const Clock& clock_;
  const TokenSource& tokens_;
  SecretKey key_;
  DispatcherOptions options_;
  service::TransportFactory transports_;
  service::SendRate rate_;  // shared by every thread (and, through the store, every node)
  LeasedQueueRunner runner_;
};

}  // namespace phishdrill::jobs
