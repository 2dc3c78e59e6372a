// SendTrainingMail: the training email queue's use case (assignment notices,
// reminders, overdue reminders). claim() takes due emails under a lease with
// their profile and the workspace's settings (nothing when no catalogue is
// loaded). send() waits for the profile's rate (keeping the lease alive),
// then issue_link() renews the lease and, when the email is still wanted (its
// assignment was not completed or cancelled meanwhile), issues the person a
// fresh personal portal link in the same transaction (only its hash is
// stored; the newest link always works for its full lifetime), and the email
// goes out with a new Message-ID; an overdue reminder also tells the manager
// (best effort). judge() applies the retry policy; record() stores sent
// (with its Message-ID) / retry / failed. One instance per worker thread (it
// caches profiles); not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/delivery_verdict.h"
#include "core/lease.h"
#include "core/retry_policy.h"
#include "core/secret_key.h"
#include "core/token_source.h"
#include "mail/mail_transport.h"
#include "service/mail_transports.h"
#include "service/profile_cache.h"
#include "service/training_message.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::service {

struct ClaimedTrainingMail {
  TrainingMailJob mail;
  std::optional<SendingProfile> profile;  // nullopt: the profile no longer exists
  std::string password;
  int link_valid_days = 30;
  bool inform_manager = false;  // an overdue reminder with a manager to tell
};

struct IssuedLink {
  std::string url;
  std::int64_t expires_at = 0;
};

struct TrainingMailOptions {
  int lease_seconds = 60;
  RetryPolicy retry;
  std::string default_base_url;        // the phish server's, when the assignment names none
  std::string portal_path = "/learn";  // on the phish server
  std::shared_ptr<const TrainingCatalogue> catalogue;  // null = no training emails
};

class SendTrainingMail {
 public:
  // Relay passwords are opened with `key`.
  SendTrainingMail(Store& store, const Clock& clock, const TokenSource& tokens,
                   const SecretKey& key, MailTransports& transports, TrainingMailOptions options);

  Result<std::vector<ClaimedTrainingMail>> claim(int limit);
  // False when the email is no longer ours to send.
  bool renew(const ClaimedTrainingMail& mail);
  void release(const ClaimedTrainingMail& mail);
  // nullopt when the email is no longer ours to send; an Error when the
  // store could not say (nothing was issued).
  Result<std::optional<IssuedLink>> issue_link(const ClaimedTrainingMail& mail);
  // kGiveBack when the worker stopped while it waited, or the link could not
  // be issued (a store failure); kCancelled when the
  // email is no longer wanted.
  DeliveryVerdict send(const ClaimedTrainingMail& mail, Lease& lease);
  DeliveryVerdict judge(const ClaimedTrainingMail& mail, const SendOutcome& outcome) const;
  // Stores kSent (verdict.reference: the Message-ID) / kRetry / kFailed;
  // kCancelled stores nothing (the email already left the queue).
  Result<void> record(const ClaimedTrainingMail& mail, const DeliveryVerdict& verdict);

 private:
  Store& store_;
  const Clock& clock_;
  // Gives a new message its Message-ID and date and composes its MIME.
  Result<std::string> compose_new(OutgoingMessage& message);
  void notify_manager(const ClaimedTrainingMail& mail, const TrainingMailInput& input,
                      Lease& lease);

  const TokenSource& tokens_;
  MailTransports& transports_;
  TrainingMailOptions options_;
  ProfileCache profiles_;
};

}  // namespace phishdrill::service
