// First-start set-up and `phishdrill user add`, wired to their use case
// (service/first_admin.h): the configuration and the clock in, the result
// out.
#pragma once

#include <string>

#include "app/config.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/token_source.h"
#include "service/first_admin.h"
#include "store/store.h"

namespace phishdrill::app {

using BootstrapResult = service::FirstAdminResult;

// On an empty database, creates the "Default" workspace, its first admin and
// (optionally) an API key from the configuration.
Result<BootstrapResult> bootstrap_admin(Store& store, const Config& config, const Clock& clock,
                                        const TokenSource& tokens);

// Creates a user (and the workspace if new); returns the generated password
// ("" when one was given).
using NewUser = service::CliUser;
Result<std::string> add_user(Store& store, const NewUser& user, const Clock& clock,
                             const TokenSource& tokens);

}  // namespace phishdrill::app
