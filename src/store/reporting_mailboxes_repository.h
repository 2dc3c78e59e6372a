// Port: reporting mailboxes and what their polls have taken in. A poll is
// claimed under a lease (a conditional update), so one node at a time reads
// a mailbox; each message is taken in once, keyed by the mailbox, its
// UIDVALIDITY and UID (a constraint): a key left "taking" by a poll that died
// is taken again by the next poll, a key "done" never. The mailbox's secret
// arrives sealed and leaves sealed. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/reporting_mailbox.h"
#include "store/page.h"

namespace phishdrill {

// A claimed poll: the mailbox, its sealed secret and where the last poll stopped.
struct MailboxPoll {
  ReportingMailbox mailbox;
  std::string secret_sealed;
  std::uint64_t uid_validity = 0;
  std::uint32_t last_uid = 0;
};

class ReportingMailboxesRepository {
 public:
  virtual ~ReportingMailboxesRepository() = default;

  // kConflict (field "name") when the workspace has a mailbox of that name.
  // On update an empty `secret_sealed` keeps the stored secret.
  virtual Result<ReportingMailbox> create_mailbox(const ReportingMailbox& mailbox,
                                                  const std::string& secret_sealed) = 0;
  virtual Result<void> update_mailbox(const ReportingMailbox& mailbox,
                                      const std::string& secret_sealed) = 0;
  virtual std::optional<ReportingMailbox> find_mailbox(std::int64_t workspace_id,
                                                       std::int64_t id) = 0;
  virtual std::optional<std::string> mailbox_secret(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<ReportingMailbox> list_mailboxes(std::int64_t workspace_id, PageRequest page) = 0;
  virtual bool delete_mailbox(std::int64_t workspace_id, std::int64_t id) = 0;

  // The next poll is due now; false when the mailbox does not exist.
  virtual bool poll_soon(std::int64_t workspace_id, std::int64_t id) = 0;
  // Enabled mailboxes whose next poll is due and whose lease has run out,
  // each now leased until `lease_until`.
  virtual std::vector<MailboxPoll> claim_polls(std::int64_t now, std::int64_t lease_until,
                                               int limit) = 0;
  // False when the lease was lost (the mailbox was deleted or disabled).
  virtual bool renew_poll(std::int64_t mailbox_id, std::int64_t lease_until) = 0;
  // Where the poll got to (saved as it goes, so a restart resumes there).
  virtual void save_position(std::int64_t mailbox_id, std::uint64_t uid_validity,
                             std::uint32_t last_uid) = 0;
  // Ends the poll: the lease is released and the next is due at `next_at`.
  virtual void finish_poll(std::int64_t mailbox_id, std::int64_t at, std::int64_t next_at,
                           const std::string& error) = 0;

  // True when the message is to be taken in (new, or left "taking" by a
  // poll that died); false once it is done.
  virtual bool begin_message(std::int64_t mailbox_id, std::uint64_t uid_validity, std::uint32_t uid,
                             std::int64_t now) = 0;
  // Done, with the report it became (0 when none, e.g. a duplicate).
  virtual void finish_message(std::int64_t mailbox_id, std::uint64_t uid_validity,
                              std::uint32_t uid, std::int64_t report_id,
                              const std::string& outcome) = 0;
};

}  // namespace phishdrill
