#include "service/sending_profiles.h"

#include <boost/json.hpp>

#include "core/email_address.h"
#include "service/audit.h"
#include "service/owned_resources.h"
#include "service/relay_password.h"

namespace phishdrill::service {
namespace {

// The relay settings a password is bound to, for the audit log.
boost::json::object relay_json(const SendingProfile& p) {
  return {{"kind", transport_kind_name(p.kind)},
          {"host", p.host},
          {"port", p.port},
          {"tls", tls_mode_name(p.tls)},
          {"username", p.username}};
}

Result<void> check_profile(SendingProfile& profile, const OutboundPolicy& outbound) {
  profile.has_password = !profile.password.empty();
  PD_TRY(validate_sending_profile(profile));
  if (profile.kind != TransportKind::kSmtp) return {};
  return outbound.check_host_literal(OutboundPurpose::kSmtpRelay, profile.host, "host");
}

std::string_view status_name(SendOutcome::Status status) {
  switch (status) {
    case SendOutcome::Status::kSent:
      return "sent";
    case SendOutcome::Status::kTemporary:
      return "temporary_failure";
    case SendOutcome::Status::kPermanent:
      return "permanent_failure";
  }
  return "permanent_failure";
}

}  // namespace

Result<Page<SendingProfile>> list_profiles(Store& store, std::int64_t workspace_id,
                                           PageRequest page) {
  return list_owned([](Repositories& repos, std::int64_t ws, PageRequest request) {
    return repos.profiles.list_profiles(ws, request);
  })(store, workspace_id, page);
}

Result<SendingProfile> find_profile(Store& store, std::int64_t workspace_id, std::int64_t id) {
  return find_owned([](Repositories& repos, std::int64_t ws, std::int64_t profile_id) {
    return repos.profiles.find_profile(ws, profile_id);
  })(store, workspace_id, id);
}

Result<SendingProfile> create_profile(const ProfilePorts& ports, const Caller& caller,
                                      SendingProfile profile) {
  PD_TRY(check_profile(profile, ports.outbound));
  const std::int64_t now = ports.clock.now();
  profile.created_at = profile.updated_at = now;
  const std::string sealed = seal_relay_password(ports.key, profile.password);
  SendingProfile created;
  PD_TRY(ports.store.write([&](Repositories& repos) -> Result<void> {
    created = PD_TRY(repos.profiles.create_profile(caller.workspace_id, profile, sealed));
    audit(repos, caller, now, "sending_profile.create", "sending_profile", created.id,
          {{"name", profile.name},
           {"kind", transport_kind_name(profile.kind)},
           {"relay", relay_json(profile)}});
    return {};
  }));
  return created;
}

Result<SendingProfile> update_profile(const ProfilePorts& ports, const Caller& caller,
                                      std::int64_t id, SendingProfile profile,
                                      bool password_given) {
  PD_TRY(check_profile(profile, ports.outbound));
  const std::int64_t now = ports.clock.now();
  std::optional<std::string> sealed;
  if (password_given) sealed = seal_relay_password(ports.key, profile.password);
  SendingProfile updated;
  PD_TRY(ports.store.write([&](Repositories& repos) -> Result<void> {
    const auto existing = repos.profiles.find_profile(caller.workspace_id, id);
    if (!existing) return not_found();
    PD_TRY(check_profile_update(*existing, profile, password_given));
    profile.id = id;
    profile.created_at = existing->created_at;
    profile.updated_at = now;
    PD_TRY(repos.profiles.update_profile(caller.workspace_id, profile, sealed));
    repos.notices.announce(ChangeTopic::kSendingProfiles);
    audit(repos, caller, now, "sending_profile.update", "sending_profile", id,
          {{"name", profile.name},
           {"password_changed", password_given},
           {"relay_before", relay_json(*existing)},
           {"relay_after", relay_json(profile)}});
    auto saved = repos.profiles.find_profile(caller.workspace_id, id);
    if (!saved) return not_found();
    updated = std::move(*saved);
    return {};
  }));
  return updated;
}

Result<void> delete_profile(Store& store, const Caller& caller, std::int64_t now, std::int64_t id) {
  return delete_owned(
      [](Repositories& repos, std::int64_t ws, std::int64_t profile_id) {
        repos.notices.announce(ChangeTopic::kSendingProfiles);
        return repos.profiles.delete_profile(ws, profile_id);
      },
      "sending_profile.delete", "sending_profile")(store, caller, now, id);
}

Result<TestSendReport> send_test_message(const ProfilePorts& ports, const Caller& caller,
                                         std::int64_t id, std::string_view to) {
  const std::string address = normalize_email(to);
  if (!is_valid_email(address)) {
    return fail(ErrorCode::kValidation, "to is not a valid email address", "to");
  }
  std::optional<SendingProfile> profile;
  std::string password;
  PD_TRY(ports.store.read([&](Repositories& repos) -> Result<void> {
    profile = repos.profiles.find_profile(caller.workspace_id, id);
    if (profile) password = open_relay_password(repos, ports.key, caller.workspace_id, id);
    return {};
  }));
  if (!profile) return not_found();
  const SendOutcome outcome = ports.send_test(*profile, password, address);
  const std::string_view result = status_name(outcome.status);
  const std::int64_t now = ports.clock.now();
  // The message has gone: its answer is reported even if the audit entry
  // cannot be written.
  (void)ports.store.write([&](Repositories& repos) -> Result<void> {
    audit(repos, caller, now, "sending_profile.test", "sending_profile", id,
          {{"to", address}, {"result", result}});
    return {};
  });
  return TestSendReport{result, outcome.smtp_code, outcome.reply};
}

}  // namespace phishdrill::service
