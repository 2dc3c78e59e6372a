// ApiContext: what every admin API handler may use — the store, the clock,
// the secret key, security settings and the login throttle. Built once by the
// composition root; shared by all I/O threads (members are thread-safe).
#pragma once

#include <string>

#include "api/login_throttle.h"
#include "core/clock.h"
#include "crypto/sodium.h"
#include "store/store.h"

namespace phishdrill::api {

struct SecuritySettings {
  int login_max_failures = 5;  // per account, then a lockout
  int ip_max_failures = 20;    // per client address, then a lockout
  int lockout_seconds = 900;
  int session_idle_minutes = 720;
  bool secure_cookie = false;  // set when the admin UI is served over HTTPS
};

struct ApiContext {
  Store& store;
  const Clock& clock;
  crypto::SecretKey key;
  SecuritySettings security;
  std::string phish_base_url;  // e.g. "https://phish.example.com"
  LoginThrottle ip_throttle;
};

}  // namespace phishdrill::api
