#include "app/bootstrap_admin.h"

namespace phishdrill::app {

Result<BootstrapResult> bootstrap_admin(Store& store, const Config& config, const Clock& clock,
                                        const TokenSource& tokens) {
  const service::FirstAdmin admin{config.initial_admin_email, config.initial_admin_password,
                                  config.initial_api_key};
  return service::create_first_admin(store, tokens, admin, clock.now());
}

Result<std::string> add_user(Store& store, const NewUser& user, const Clock& clock,
                             const TokenSource& tokens) {
  return service::add_cli_user(store, tokens, user, clock.now());
}

}  // namespace phishdrill::app
