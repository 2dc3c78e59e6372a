// SendReportMail: the report email queue's use case (feedback to reporters
// and forwarded button reports; service/reporting/report_feedback.h says
// what is queued when). claim() takes due emails under a lease with the
// workspace's feedback settings, the profile (opened password) and, for a
// forward, the original opened from its seal. send() decides at the last
// moment whether the email is still wanted — feedback switched off, the
// reporter no longer in the targets list, an acknowledgement overtaken by a
// verdict, forwarding switched off or the original dropped by retention all
// cancel it with the reason — then waits for the profile's rate (keeping the
// lease alive) and sends it with a new Message-ID. judge() applies the retry
// policy; record() stores sent (with the Message-ID and the verdict told) /
// retry / failed / cancelled, and queues the verdict email again when the
// verdict changed while it was being sent. One instance per worker thread
// (it caches profiles); not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/delivery_verdict.h"
#include "core/lease.h"
#include "core/retry_policy.h"
#include "core/secret_key.h"
#include "mail/outgoing_message.h"
#include "service/mail_transports.h"
#include "service/profile_cache.h"
#include "store/store.h"

namespace phishdrill::service {

struct ClaimedReportMail {
  ReportMailJob mail;
  ReportFeedbackSettings settings;
  std::optional<SendingProfile> profile;  // nullopt: none chosen, or it no longer exists
  std::string password;
  std::string original;  // a forward's reported message ("" when no longer kept)
};

struct ReportMailOptions {
  int lease_seconds = 60;
  RetryPolicy retry;
};

class SendReportMail {
 public:
  // Relay passwords and originals are opened with `key`.
  SendReportMail(Store& store, const Clock& clock, const SecretKey& key, MailTransports& transports,
                 ReportMailOptions options);

  Result<std::vector<ClaimedReportMail>> claim(int limit);
  // False when the email is no longer ours to send.
  bool renew(const ClaimedReportMail& mail);
  void release(const ClaimedReportMail& mail);
  DeliveryVerdict send(const ClaimedReportMail& mail, Lease& lease);
  DeliveryVerdict judge(const ClaimedReportMail& mail, const SendOutcome& outcome) const;
  Result<void> record(const ClaimedReportMail& mail, const DeliveryVerdict& verdict);

 private:
  // The email to send, or the verdict that it is not to be sent.
  std::variant<OutgoingMessage, DeliveryVerdict> compose(const ClaimedReportMail& mail) const;

  Store& store_;
  const Clock& clock_;
  SecretKey key_;
  MailTransports& transports_;
  ReportMailOptions options_;
  ProfileCache profiles_;
};

}  // namespace phishdrill::service
