// A reporting mailbox's IMAP connection: its settings with the secret opened
// (a password, or the bearer token for XOAUTH2) for the poll and the admin's
// "test connection". The secret is opened here and nowhere else.
#pragma once

#include <string>

#include "core/error.h"
#include "core/reporting_mailbox.h"
#include "core/secret_key.h"
#include "mail/imap_mailbox.h"
#include "service/reporting/poll_mailbox.h"

namespace phishdrill::service {

ImapSettings imap_settings(const ReportingMailbox& mailbox, const std::string& secret,
                           const MailboxPollSettings& settings);

// Opens the folder; a secret sealed under another key fails with a clear
// message naming the field, before any connection.
Result<ImapMailbox> open_mailbox(const ReportingMailbox& mailbox, const std::string& secret_sealed,
                                 const SecretKey& key, const MailboxPollSettings& settings);

}  // namespace phishdrill::service
