// SendCampaignMail: the campaign send queue's use case. claim() takes due
// recipients of active campaigns (and expired leases: in doubt after a crash)
// under a lease, with what sending needs: the campaign, its template variant
// and sending profile. send() renders the message (its Message-ID fixed at
// launch, so a resend after a crash carries the same one), waits for the
// profile's rate (keeping the lease alive), drops it when the campaign ended
// meanwhile (kCancelled), renews the lease to cover the SMTP exchange and
// sends it; judge() applies the retry policy to the relay's answer. record()
// stores the verdict with its event ("sent", "send_deferred", "send_failed")
// and, except for deferrals, queues the event's webhooks, all in one
// transaction; release() gives back a claim never tried. One instance per
// worker thread (it caches variants, profiles and compiled templates); not
// thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/delivery_verdict.h"
#include "core/lease.h"
#include "core/retry_policy.h"
#include "core/secret_key.h"
#include "core/sending_profile.h"
#include "mail/mail_transport.h"
#include "service/mail_transports.h"
#include "service/message_builder.h"
#include "service/profile_cache.h"
#include "store/store.h"

namespace phishdrill::service {

struct ClaimedCampaignMail {
  Recipient recipient;
  DispatchInfo campaign;
  std::shared_ptr<const CampaignVariant> variant;
  std::optional<SendingProfile> profile;  // nullopt: the profile no longer exists
  std::string password;
};

struct CampaignMailOptions {
  int lease_seconds = 60;
  RetryPolicy retry;
  std::string default_base_url;  // the phish server's, when the campaign names none
  LinkStyle links;
};

class SendCampaignMail {
 public:
  // Relay passwords are opened with `key`.
  SendCampaignMail(Store& store, const Clock& clock, const SecretKey& key,
                   MailTransports& transports, CampaignMailOptions options);

  Result<std::vector<ClaimedCampaignMail>> claim(int limit);
  void renew(const ClaimedCampaignMail& mail);
  void release(const ClaimedCampaignMail& mail);
  // True while the recipient's campaign is active (checked right before
  // sending); an Error when the store could not say.
  Result<bool> still_active(const ClaimedCampaignMail& mail);
  // kGiveBack when the worker stopped while it waited for the rate.
  DeliveryVerdict send(const ClaimedCampaignMail& mail, Lease& lease);
  DeliveryVerdict judge(const ClaimedCampaignMail& mail, const SendOutcome& outcome) const;
  // Stores kSent / kRetry / kFailed with its event, or kCancelled (no event).
  Result<void> record(const ClaimedCampaignMail& mail, const DeliveryVerdict& verdict);

 private:
  std::shared_ptr<const CampaignVariant> variant(Repositories& repos, std::int64_t id);

  Store& store_;
  const Clock& clock_;
  MailTransports& transports_;
  CampaignMailOptions options_;
  MessageBuilder builder_;
  // Variants never change after launch; profiles may (ProfileCache re-reads).
  std::map<std::int64_t, std::shared_ptr<const CampaignVariant>> variants_;
  ProfileCache profiles_;
};

}  // namespace phishdrill::service
