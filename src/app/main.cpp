// phishdrill: the command-line entry point (serve, migrate, user add, store copy, version).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "app/bootstrap_admin.h"
#include "app/config.h"
#include "app/server.h"
#include "app/store_copy_command.h"

namespace {

using phishdrill::app::Config;

std::optional<Config> load(const std::string& path) {
  auto config = phishdrill::app::load_config(
      path.empty() ? std::nullopt : std::optional<std::string>(path), phishdrill::app::process_env);
  if (!config) {
    std::fprintf(stderr, "phishdrill: configuration: %s\n", config.error().message.c_str());
    return std::nullopt;
  }
  return *config;
}

int migrate(const Config& config) {
  auto runtime = phishdrill::app::open_runtime(config);
  if (!runtime) {
    std::fprintf(stderr, "phishdrill: %s\n", runtime.error().message.c_str());
    return 1;
  }
  std::printf("Database is up to date.\n");
  return 0;
}

int add_user(const Config& config, const phishdrill::app::NewUser& user) {
  auto runtime = phishdrill::app::open_runtime(config);
  if (!runtime) {
    std::fprintf(stderr, "phishdrill: %s\n", runtime.error().message.c_str());
    return 1;
  }
  phishdrill::SystemClock clock;
  auto password = phishdrill::app::add_user(*(*runtime)->store, user, clock, (*runtime)->tokens);
  if (!password) {
    std::fprintf(stderr, "phishdrill: user add: %s\n", password.error().message.c_str());
    return 1;
  }
  std::printf("Created %s (%s).\n", user.email.c_str(), user.role.c_str());
  if (!password->empty()) {
    std::printf("Password: %s\nShown only once; it must be changed at first login.\n",
                password->c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Phishdrill: phishing simulation and security-awareness training"};
  app.require_subcommand(1);
  std::string config_path;
  const char* config_help =
      "TOML configuration file (every key can be overridden by PHISHDRILL_* variables)";

  auto* serve = app.add_subcommand("serve", "Run the admin and phish servers");
  serve->add_option("-c,--config", config_path, config_help);
  bool demo = false;
  serve->add_flag("--demo", demo, "Add a demo workspace (targets, template, page, outbox profile)");
  std::string roles;
  serve->add_option("--role", roles,
                    "What this node does: admin, phish, worker or all, comma-separated "
                    "(overrides node.roles; default all)");

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply database migrations and exit");
  migrate_cmd->add_option("-c,--config", config_path, config_help);

  auto* user = app.add_subcommand("user", "Manage admin users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create an admin user");
  phishdrill::app::NewUser new_user;
  user_add->add_option("-c,--config", config_path, config_help);
  user_add->add_option("--email", new_user.email, "Email address (the login)")->required();
  user_add->add_option("--name", new_user.name, "Display name");
  user_add->add_option("--role", new_user.role, "admin, operator or viewer")
      ->check(CLI::IsMember({"admin", "operator", "viewer"}))
      ->capture_default_str();
  user_add->add_option("--password", new_user.password,
                       "Password (at least 12 characters); generated and printed when omitted");
  user_add->add_option("--workspace", new_user.workspace,
                       "Workspace name (created if new); default: the first workspace");

  auto* store = app.add_subcommand("store", "Move the database between backends");
  store->require_subcommand(1);
  auto* store_copy = store->add_subcommand(
      "copy",
      "Copy a stopped install's SQLite store into an empty PostgreSQL store (one transaction)");
  std::string copy_from;
  std::string copy_to;
  store_copy
      ->add_option("--from", copy_from,
                   "The SQLite store: sqlite:DATA_DIR/phishdrill.db or a plain path")
      ->required();
  store_copy
      ->add_option("--to", copy_to,
                   "The PostgreSQL store: postgres://user:password@host:port/database?sslmode=...")
      ->required();

  app.add_subcommand("version", "Print the version");

  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("version")) {
    std::printf("phishdrill %s\n", PHISHDRILL_VERSION);
    return 0;
  }
  if (store->got_subcommand(store_copy)) {
    return phishdrill::app::run_store_copy(copy_from, copy_to, stdout, stderr);
  }
  auto config = load(config_path);
  if (!config) return 2;
  if (!roles.empty()) {
    auto parsed = phishdrill::app::parse_node_roles(roles);
    if (!parsed) {
      std::fprintf(stderr, "phishdrill: --role: %s\n", parsed.error().message.c_str());
      return 2;
    }
    config->roles = *parsed;
  }
  if (app.got_subcommand(serve)) return phishdrill::app::run_server(*config, demo);
  if (app.got_subcommand(migrate_cmd)) return migrate(*config);
  if (user->got_subcommand(user_add)) return add_user(*config, new_user);
  return 2;
}
