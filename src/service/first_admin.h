// Accounts made outside the API: the first admin, created by the server on
// an empty database (the "Default" workspace, its admin and optionally an
// API key from the configuration), and `phishdrill user add` on the command
// line. An empty password is generated from the TokenSource, returned once,
// and must be changed at first sign-in. Passwords here need only
// kMinPasswordLength bytes. Each is audited with a "system" actor. Each
// function opens its own transaction. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/token_source.h"
#include "store/store.h"

namespace phishdrill::service {

struct FirstAdmin {
  std::string email;     // PHISHDRILL_INITIAL_ADMIN_EMAIL
  std::string password;  // PHISHDRILL_INITIAL_ADMIN_PASSWORD; empty = generate one
  std::string api_key;   // PHISHDRILL_INITIAL_API_KEY; empty = none
};

struct FirstAdminResult {
  bool created = false;  // false when the database already had users
  std::string email;
  std::string generated_password;  // set only when we generated one (print it once)
};

// kValidation for a bad email, a short password or an API key that is not
// "pd_" and at least 32 characters of A-Z a-z 0-9 - _.
Result<FirstAdminResult> create_first_admin(Store& store, const TokenSource& tokens,
                                            const FirstAdmin& admin, std::int64_t now);

// A user of the command line: in the workspace `workspace` (created when
// new; "" = the first workspace).
struct CliUser {
  std::string email;
  std::string name;
  std::string role = "admin";
  std::string password;
  std::string workspace;
};

// Returns the generated password ("" when one was given). kValidation for a
// bad email, role or password; kConflict when the email is taken.
Result<std::string> add_cli_user(Store& store, const TokenSource& tokens, const CliUser& input,
                                 std::int64_t now);

}  // namespace phishdrill::service
