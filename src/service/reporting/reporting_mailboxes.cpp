#include "service/reporting/reporting_mailboxes.h"

#include <boost/json.hpp>

#include "crypto/sodium.h"
#include "service/audit.h"
#include "service/owned_resources.h"
#include "service/reporting/mailbox_connection.h"

namespace phishdrill::service {
namespace {

// The server a secret is bound to, for the audit log.
boost::json::object server_json(const ReportingMailbox& m) {
  return {{"host", m.host}, {"port", m.port},         {"tls", m.tls},
          {"auth", m.auth}, {"username", m.username}, {"folder", m.folder}};
}

Result<void> check_mailbox(const ReportingMailbox& mailbox, const MailboxPollSettings& settings) {
  PD_TRY(validate_mailbox(mailbox));
  return settings.outbound.check_host_literal(OutboundPurpose::kSmtpRelay, mailbox.host, "host");
}

std::string sealed(const SecretKey& key, const std::optional<std::string>& secret) {
  return secret && !secret->empty() ? crypto::seal(key, *secret) : std::string();
}

Result<void> check_secret(const std::optional<std::string>& secret) {
  if (secret && secret->size() > 8192) {
    return fail(ErrorCode::kValidation, "secret must be at most 8192 bytes", "secret");
  }
  return {};
}

}  // namespace

Result<Page<ReportingMailbox>> list_mailboxes(Store& store, std::int64_t workspace_id,
                                              PageRequest page) {
  return list_owned([](Repositories& repos, std::int64_t ws, PageRequest request) {
    return repos.mailboxes.list_mailboxes(ws, request);
  })(store, workspace_id, page);
}

Result<ReportingMailbox> find_mailbox(Store& store, std::int64_t workspace_id, std::int64_t id) {
  return find_owned([](Repositories& repos, std::int64_t ws, std::int64_t mailbox_id) {
    return repos.mailboxes.find_mailbox(ws, mailbox_id);
  })(store, workspace_id, id);
}

Result<ReportingMailbox> create_mailbox(const MailboxPorts& ports, const Caller& caller,
                                        ReportingMailbox mailbox,
                                        const std::optional<std::string>& secret) {
  mailbox.workspace_id = caller.workspace_id;
  PD_TRY(check_mailbox(mailbox, ports.settings));
  PD_TRY(check_secret(secret));
  const std::int64_t now = ports.clock.now();
  mailbox.created_at = mailbox.updated_at = now;
  const std::string seal_of = sealed(ports.key, secret);
  ReportingMailbox created;
  PD_TRY(ports.store.write([&](Repositories& repos) -> Result<void> {
    created = PD_TRY(repos.mailboxes.create_mailbox(mailbox, seal_of));
    audit(repos, caller, now, "reporting_mailbox.create", "reporting_mailbox", created.id,
          {{"name", mailbox.name}, {"server", server_json(mailbox)}});
    return {};
  }));
  return created;
}

Result<ReportingMailbox> update_mailbox(const MailboxPorts& ports, const Caller& caller,
                                        std::int64_t id, ReportingMailbox mailbox,
                                        const std::optional<std::string>& secret) {
  mailbox.workspace_id = caller.workspace_id;
  mailbox.id = id;
  PD_TRY(check_mailbox(mailbox, ports.settings));
  PD_TRY(check_secret(secret));
  const std::int64_t now = ports.clock.now();
  const std::string seal_of = sealed(ports.key, secret);
  ReportingMailbox updated;
  PD_TRY(ports.store.write([&](Repositories& repos) -> Result<void> {
    const auto existing = repos.mailboxes.find_mailbox(caller.workspace_id, id);
    if (!existing) return not_found();
    const bool same_server = existing->host == mailbox.host && existing->port == mailbox.port &&
                             existing->username == mailbox.username &&
                             existing->auth == mailbox.auth;
    const bool new_secret = secret && !secret->empty();
    if (!new_secret && existing->has_secret && !same_server) {
      return fail(ErrorCode::kValidation,
                  "the stored secret is kept only for the same host, port, username and "
                  "sign-in method; enter it again for the new server",
                  "secret");
    }
    mailbox.created_at = existing->created_at;
    mailbox.updated_at = now;
    PD_TRY(repos.mailboxes.update_mailbox(mailbox, seal_of));
    audit(repos, caller, now, "reporting_mailbox.update", "reporting_mailbox", id,
          {{"name", mailbox.name},
           {"secret_changed", new_secret},
           {"server_before", server_json(*existing)},
           {"server_after", server_json(mailbox)}});
    auto saved = repos.mailboxes.find_mailbox(caller.workspace_id, id);
    if (!saved) return not_found();
    updated = std::move(*saved);
    return {};
  }));
  return updated;
}

Result<void> delete_mailbox(Store& store, const Caller& caller, std::int64_t now, std::int64_t id) {
  return delete_owned(
      [](Repositories& repos, std::int64_t ws, std::int64_t mailbox_id) {
        return repos.mailboxes.delete_mailbox(ws, mailbox_id);
      },
      "reporting_mailbox.delete", "reporting_mailbox")(store, caller, now, id);
}

Result<void> poll_mailbox_soon(Store& store, const Caller& caller, std::int64_t id) {
  return store.write([&](Repositories& repos) -> Result<void> {
    const auto mailbox = repos.mailboxes.find_mailbox(caller.workspace_id, id);
    if (!mailbox) return not_found();
    if (!mailbox->enabled) {
      return fail(ErrorCode::kValidation, "the mailbox is disabled; enable it to poll it",
                  "enabled");
    }
    repos.mailboxes.poll_soon(caller.workspace_id, id);
    return {};
  });
}

Result<MailboxTestResult> test_mailbox(const MailboxPorts& ports, const Caller& caller,
                                       std::int64_t id) {
  std::optional<ReportingMailbox> mailbox;
  std::string secret_sealed;
  PD_TRY(ports.store.read([&](Repositories& repos) -> Result<void> {
    mailbox = repos.mailboxes.find_mailbox(caller.workspace_id, id);
    if (!mailbox) return not_found();
    secret_sealed = repos.mailboxes.mailbox_secret(caller.workspace_id, id).value_or("");
    return {};
  }));
  auto imap = PD_TRY(open_mailbox(*mailbox, secret_sealed, ports.key, ports.settings));
  const auto status = imap.status();
  return MailboxTestResult{status.uid_validity, status.messages};
}

}  // namespace phishdrill::service
