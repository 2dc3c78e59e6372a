// One poll of a reporting mailbox, claimed under a lease (store/
// reporting_mailboxes_repository.h): opens the folder over IMAP, takes in the
// messages that arrived since the last poll (by UID, oldest first, at most a
// batch), each exactly once — its key (UIDVALIDITY, UID) is begun before it
// is read and finished in the transaction that records its report — then
// marks it on the server as the mailbox says (flag, move, or delete), never
// before its report is committed. A new UIDVALIDITY starts over from the
// first UID; reports already taken in are then duplicates and make nothing
// new. The poll's outcome (or the error of the step that failed, without
// secrets) is saved on the mailbox for the admin. Thread-safe per mailbox
// (one poll holds its lease).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/outbound_policy.h"
#include "core/secret_key.h"
#include "store/store.h"

namespace phishdrill::service {

struct MailboxPollSettings {
  std::string rid_parameter = "rid";
  OutboundPolicy outbound{};
  bool verify_tls = true;
  std::string ca_file;                        // trust only these CAs ("" = the system's)
  std::size_t max_message_bytes = 32u << 20;  // larger reports are refused with a reason
  std::size_t batch = 200;                    // messages per poll
  int lease_seconds = 120;
};

struct MailboxPollOutcome {
  int seen = 0;      // messages handled this poll (new or only marked)
  int taken_in = 0;  // of which recorded as reports (or refusals) now
  std::string error;
};

MailboxPollOutcome poll_mailbox(Store& store, const SecretKey& key, const Clock& clock,
                                const MailboxPoll& poll, const MailboxPollSettings& settings);

// Claims due mailboxes and polls each, again at once while a poll took a
// full batch (a backlog); returns how many polls ran.
int poll_due_mailboxes(Store& store, const SecretKey& key, const Clock& clock,
                       const MailboxPollSettings& settings);

}  // namespace phishdrill::service
