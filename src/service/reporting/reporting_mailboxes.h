// Reporting mailboxes as the admin manages them: list, find, create, update,
// delete, and "test connection". A mailbox is validated here
// (core/reporting_mailbox.h, and its host against the outbound policy) before
// anything is stored. The secret (a password, or a bearer token for XOAUTH2)
// is write-only: sealed here under the installation's key, never returned
// (has_secret says whether one is stored); keeping the stored secret on an
// update requires the same host, port and username, so a changed server
// never receives a secret typed for another. Each change is one transaction
// with its audit entry (never the secret); another workspace's mailbox
// behaves as unknown (kNotFound); names are unique per workspace (kConflict,
// field "name"). Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/reporting_mailbox.h"
#include "core/secret_key.h"
#include "service/caller.h"
#include "service/reporting/poll_mailbox.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

struct MailboxPorts {
  Store& store;
  const Clock& clock;
  const SecretKey& key;
  const MailboxPollSettings& settings;
};

Result<Page<ReportingMailbox>> list_mailboxes(Store& store, std::int64_t workspace_id,
                                              PageRequest page);
Result<ReportingMailbox> find_mailbox(Store& store, std::int64_t workspace_id, std::int64_t id);

// `secret`: the password or token; nullopt keeps the stored one (update) or
// stores none (create).
Result<ReportingMailbox> create_mailbox(const MailboxPorts& ports, const Caller& caller,
                                        ReportingMailbox mailbox,
                                        const std::optional<std::string>& secret);
Result<ReportingMailbox> update_mailbox(const MailboxPorts& ports, const Caller& caller,
                                        std::int64_t id, ReportingMailbox mailbox,
                                        const std::optional<std::string>& secret);
Result<void> delete_mailbox(Store& store, const Caller& caller, std::int64_t now, std::int64_t id);

// "Poll now": the mailbox's next poll is due at once (kNotFound when unknown).
Result<void> poll_mailbox_soon(Store& store, const Caller& caller, std::int64_t id);

struct MailboxTestResult {
  std::uint32_t uid_validity = 0;
  std::uint32_t messages = 0;
};

// Connects with the stored settings and secret, logs in and selects the
// folder; the error names the step that failed.
Result<MailboxTestResult> test_mailbox(const MailboxPorts& ports, const Caller& caller,
                                       std::int64_t id);

}  // namespace phishdrill::service
