// ApiContext: what every admin API handler may use — the store, the clock,
// the token source, the secret key, security settings and the login throttle. Built once by the
// composition root; shared by all I/O threads (members are thread-safe).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/outbound_policy.h"
#include "core/secret_key.h"
#include "core/token_source.h"
#include "service/library/workspace_library.h"
#include "service/login_throttle.h"
#include "service/phish_scale/rate_templates.h"
#include "service/reporting/poll_mailbox.h"
#include "service/test_message.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::api {

// Login throttling (docs/configuration.md, "Sign-in throttling"): failed
// passwords are counted per (account, client address), per client address,
// and per account; the account-wide lockout spares addresses the account
// has signed in from before, so nobody can lock its owner out.
struct SecuritySettings {
  int login_max_failures = 5;     // per account and client address, then a lockout
  int ip_max_failures = 20;       // per client address, then a lockout
  int account_max_failures = 50;  // per account, then a lockout for unknown addresses
  int lockout_seconds = 900;
  int session_idle_minutes = 720;
  int session_max_hours = 12;  // a session ends this long after login, however active
  bool secure_cookie = false;  // set when the admin UI is served over HTTPS
};

struct ApiContext {
  Store& store;
  const Clock& clock;
  const TokenSource& tokens;
  SecretKey key;
  SecuritySettings security;
  std::string phish_base_url;                    // e.g. "https://phish.example.com"
  service::LoginThrottle login_throttle{store};  // sign-in and password-change attempts
  std::function<void()> on_launch = [] {};       // wakes the dispatcher
  // The simulation library as each workspace sees it (shipped and
  // imported); nothing shipped until the composition root loads it.
  std::shared_ptr<service::LibraryCatalogue> library =
      std::make_shared<service::LibraryCatalogue>(nullptr);
  // Dictionaries for the Phish Scale's spelling cue, by language; none
  // until the composition root loads them.
  service::SpellCheckers spellers{};
  // Modules that can be assigned; empty until the composition root loads it.
  std::shared_ptr<TrainingCatalogue> training = std::make_shared<TrainingCatalogue>("", "");
  // Where SMTP relays and webhooks may point ([outbound] allow); checked on
  // save for literal addresses, and again on every connection.
  OutboundPolicy outbound{};
  // How reporting mailboxes are reached (outbound policy, TLS trust).
  service::MailboxPollSettings reporting{};
  // "Send test email"; provided by the composition root.
  service::TestSender send_test = [](const SendingProfile&, const std::string&,
                                     const std::string&) {
    return SendOutcome{SendOutcome::Status::kPermanent, 0, "sending is not configured"};
  };
};

}  // namespace phishdrill::api
