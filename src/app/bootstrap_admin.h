// First-start set-up: on an empty database, creates the "Default" workspace,
// its first admin and (optionally) an API key from the configuration.
#pragma once

#include <string>

#include "app/config.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace phishdrill::app {

struct BootstrapResult {
  bool created = false;
  std::string email;
  std::string generated_password;  // set only when we generated one (print it once)
};

Result<BootstrapResult> bootstrap_admin(Store& store, const Config& config, const Clock& clock);

// Creates a user (and the workspace `workspace_name` if new; "" = the first
// workspace). An empty `password` is generated and returned.
struct NewUser {
  std::string email;
  std::string name;
  std::string role = "admin";
  std::string password;
  std::string workspace;
};
Result<std::string> add_user(Store& store, const NewUser& user, const Clock& clock);

}  // namespace phishdrill::app
