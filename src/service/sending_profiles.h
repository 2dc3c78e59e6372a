// Sending profiles: list and find them, create, update and delete one, and
// send a test message through one. A profile is validated here
// (validate_sending_profile, and an SMTP host against the outbound policy)
// before anything is read. The relay password is write-only: it is sealed
// here under the secret key before it reaches the store
// (service/relay_password.h), and no profile returned here carries it
// (has_password says whether one is stored). An update that keeps the stored password must keep
// its relay (core/check_profile_update). Each change is one transaction with
// its audit entry, whose details name the relay but never the password;
// another workspace's profile behaves as unknown (kNotFound); names are unique
// per workspace (kConflict, field "name"). Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/outbound_policy.h"
#include "core/secret_key.h"
#include "core/sending_profile.h"
#include "service/caller.h"
#include "service/test_message.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

struct ProfilePorts {
  Store& store;
  const Clock& clock;
  const SecretKey& key;
  const OutboundPolicy& outbound;
  const TestSender& send_test;
};

Result<Page<SendingProfile>> list_profiles(Store& store, std::int64_t workspace_id,
                                           PageRequest page);
Result<SendingProfile> find_profile(Store& store, std::int64_t workspace_id, std::int64_t id);

// `profile.password` empty: no password.
Result<SendingProfile> create_profile(const ProfilePorts& ports, const Caller& caller,
                                      SendingProfile profile);

// `password_given`: the request set the password (an empty one removes it);
// otherwise the stored one is kept, for the same relay only.
Result<SendingProfile> update_profile(const ProfilePorts& ports, const Caller& caller,
                                      std::int64_t id, SendingProfile profile, bool password_given);

Result<void> delete_profile(Store& store, const Caller& caller, std::int64_t now, std::int64_t id);

// The relay's answer to a test message: `result` is "sent",
// "temporary_failure" or "permanent_failure".
struct TestSendReport {
  std::string_view result;
  int smtp_code = 0;
  std::string reply;
};

// Sends a test message to `to` (normalised; an invalid address is kValidation
// on "to") and audits it ("sending_profile.test", as of the clock after the
// send), whatever the relay answered.
Result<TestSendReport> send_test_message(const ProfilePorts& ports, const Caller& caller,
                                         std::int64_t id, std::string_view to);

}  // namespace phishdrill::service
