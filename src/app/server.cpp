#include "app/server.h"

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "api/admin_api.h"
#include "api/guard.h"
#include "app/addin_content.h"
#include "app/bootstrap_admin.h"
#include "app/database_health.h"
#include "app/demo_workspace.h"
#include "app/logging.h"
#include "app/mail_wiring.h"
#include "app/metrics_endpoint.h"
#include "app/periodic_task.h"
#include "app/static_assets.h"
#include "app/web_assets.h"
#include "core/log_text.h"
#include "crypto/sodium.h"
#include "http_client/curl_http_client.h"
#include "jobs/dispatcher.h"
#include "jobs/webhook_deliverer.h"
#include "library/simulation_library.h"
#include "net/http_server.h"
#include "phish/content_security.h"
#include "phish/event_writer.h"
#include "phish/portal_routes.h"
#include "phish/report_button_routes.h"
#include "phish/tracking_routes.h"
#include "service/installation_key.h"
#include "service/reporting/poll_mailbox.h"
#include "service/reporting/triage.h"
#include "service/training_imports.h"
#include "spelling/hunspell_dictionary.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "training/catalogue.h"

namespace phishdrill::app {

namespace {

// GET /healthz: 200 while this node reaches its database, else 503, from the
// last probe (never waiting on the database itself).
net::Handler healthz(const DatabaseHealth& database) {
  return [&database](net::Request&) {
    return database.reachable()
               ? net::Response::json(200, R"({"status":"ok","database":"ok"})")
               : net::Response::json(503, R"({"status":"unavailable","database":"unreachable"})");
  };
}

// The host name as a node name (letters, digits, '.', '-', '_'; 63 at most).
std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "phishdrill";
  std::string out;
  for (const char* c = name; *c != '\0' && out.size() < 63; ++c) {
    out += (std::isalnum(static_cast<unsigned char>(*c)) || *c == '.' || *c == '_') ? *c : '-';
  }
  return out;
}

net::HeaderList admin_headers() {
  return {{"Content-Security-Policy",
           "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
           "frame-src 'self' blob: data:; frame-ancestors 'none'; base-uri 'none'; "
           "form-action 'self'"},
          // Routes that may be cached (static assets) set their own Cache-Control.
          {"Cache-Control", "no-store"}};
}

// The admin SPA (web/, embedded at build time): hashed files under /assets/
// are cached for a year; index.html answers "/" and every other GET path that
// is not the API, /healthz or /metrics (client-side routes), never cached.
void add_web_app_routes(net::Router& router) {
  std::string_view index;
  for (const auto& asset : web_assets()) {
    if (asset.path == "/index.html") {
      index = asset.body;
      continue;
    }
    const bool hashed = asset.path.starts_with("/assets/");
    router.add("GET", std::string(asset.path), [asset, hashed](net::Request&) {
      auto response =
          net::Response::text(200, std::string(asset.body), std::string(asset.content_type));
      response.set_header("Cache-Control",
                          hashed ? "public, max-age=31536000, immutable" : "no-cache");
      return response;
    });
  }
  auto serve_index = [index](net::Request&) {
    auto response = net::Response::text(200, std::string(index), "text/html; charset=utf-8");
    response.set_header("Cache-Control", "no-cache");
    return response;
  };
  router.add("GET", "/", serve_index);
  router.set_get_fallback("/{spa}", [serve_index](net::Request& request) {
    const std::string_view path = request.path;
    const auto under = [&path](std::string_view prefix) {
      return path == prefix || path.starts_with(std::string(prefix) + "/");
    };
    // Unknown API paths stay JSON 404s; a missing hashed asset is a 404, not
    // the page (a stale page asking for an old bundle must not get HTML).
    if (under("/api") || under("/healthz") || under("/metrics") || under("/assets")) {
      return net::Response::json(404, net::json_error_body("not_found", "no such endpoint"));
    }
    return serve_index(request);
  });
}

// Without the admin role the admin listener answers only /healthz and
// /metrics, for the balancer's and the monitoring's checks.
void add_admin_routes(net::Router& router, api::ApiContext& context, net::HttpMetrics& metrics,
                      const NodeStatus& node, const Config& config) {
  router.add("GET", "/healthz", healthz(node.database));
  // With a listener of its own, /metrics is not on the admin listener at all.
  if (config.metrics_listen.empty()) {
    router.add("GET", "/metrics", metrics_endpoint(metrics, node, config.metrics_token, &context));
  }
  if (!config.roles.admin) return;
  api::add_admin_api(router, context);
  router.add("GET", "/api/v1/openapi.yaml", [](net::Request&) {
    return net::Response::text(200, std::string(openapi_yaml()), "application/yaml");
  });
  add_web_app_routes(router);
}

// The shipped simulation library. A missing folder is an empty library (with
// a warning); a broken simulation is logged and leaves the library empty
// rather than half loaded.
std::shared_ptr<const SimulationLibrary> load_library(const Config& config) {
  if (!std::filesystem::is_directory(config.library_content_dir)) {
    spdlog::warn("event=library_content_missing dir={}", log_value(config.library_content_dir));
  }
  auto loaded = SimulationLibrary::load(config.library_content_dir);
  if (!loaded) {
    spdlog::error("event=library_content_invalid message={}", log_value(loaded.error().message));
    return std::make_shared<SimulationLibrary>();
  }
  spdlog::info("event=library_loaded simulations={}", loaded->all().size());
  return std::make_shared<const SimulationLibrary>(*std::move(loaded));
}

// The training catalogue: shipped modules plus each workspace's imports in
// the data directory. A missing shipped folder means none shipped; a broken
// module is reported and leaves the catalogue without that folder's modules.
// Imports from before they belonged to a workspace go to the first one (the
// initial admin's), where the upgrade notes say to look for them.
std::shared_ptr<TrainingCatalogue> load_training(const Config& config) {
  auto catalogue = std::make_shared<TrainingCatalogue>(
      config.training_content_dir, std::filesystem::path(config.data_dir) / "training-modules");
  if (!std::filesystem::is_directory(config.training_content_dir)) {
    spdlog::warn("event=training_content_missing dir={}", log_value(config.training_content_dir));
  }
  constexpr std::int64_t kFirstWorkspace = 1;
  if (auto adopted = catalogue->adopt_unowned_imports(kFirstWorkspace); !adopted) {
    spdlog::error("event=training_adopt_failed message={}", log_value(adopted.error().message));
  } else {
    for (const auto& slug : *adopted) {
      spdlog::warn("event=training_import_adopted slug={} workspace={}", log_value(slug),
                   kFirstWorkspace);
    }
  }
  if (auto loaded = catalogue->load(); !loaded) {
    spdlog::error("event=training_content_invalid message={}", log_value(loaded.error().message));
  }
  spdlog::info("event=training_loaded shipped={}", catalogue->modules(0)->size());
  return catalogue;
}

service::MailboxPollSettings reporting_settings(const Config& config) {
  service::MailboxPollSettings s;
  s.rid_parameter = config.rid_parameter;
  s.outbound = config.outbound;
  s.verify_tls = config.verify_tls;
  s.ca_file = config.reporting_ca_file;
  s.max_message_bytes = static_cast<std::size_t>(config.report_max_message_mb) << 20;
  return s;
}

phish::PhishSettings phish_settings(const Config& config) {
  phish::PhishSettings s;
  s.rid_parameter = config.rid_parameter;
  s.track_path = config.track_path;
  s.report_path = config.report_path;
  s.decoy_path = config.decoy_path;
  s.beacon_path = config.beacon_path;
  s.portal_path = config.portal_path;
  s.classifier.delivery_window_seconds = config.scanner_window_seconds;
  s.ip_hits_per_second = config.ip_hits_per_second;
  return s;
}

}  // namespace

Result<std::unique_ptr<Runtime>> open_runtime(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return fail(ErrorCode::kInternal, "cannot create " + config.data_dir + ": " + ec.message());
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  setup_logging({.file = (std::filesystem::path(config.data_dir) / "phishdrill.log").string(),
                 .level = config.log_level,
                 .max_file_bytes = static_cast<std::size_t>(config.log_max_file_mb) << 20,
                 .max_files = static_cast<std::size_t>(config.log_max_files)});
  auto runtime = std::make_unique<Runtime>();
  runtime->config = config;
  auto key =
      crypto::load_or_create_key((std::filesystem::path(config.data_dir) / "secret.key").string());
  if (!key) return std::unexpected(key.error());
  runtime->key = *key;
  auto store =
      config.store_url.empty()
          ? open_sqlite_store((std::filesystem::path(config.data_dir) / "phishdrill.db").string(),
                              runtime->key)
          : open_postgres_store(config.store_url, runtime->key);
  if (!store) return std::unexpected(store.error());
  runtime->store = std::move(*store);
  auto migrated = runtime->store->migrate();
  if (!migrated) return std::unexpected(migrated.error());
  if (*migrated > 0) spdlog::info("event=migrated count={}", *migrated);
  PD_TRY(service::check_installation_key(*runtime->store, runtime->key));
  return runtime;
}

int run_server(const Config& config, bool demo) {
  auto runtime = open_runtime(config);
  if (!runtime) {
    std::fprintf(stderr, "phishdrill: %s\n", runtime.error().message.c_str());
    return 1;
  }
  Runtime& rt = **runtime;
  auto admin = bootstrap_admin(*rt.store, config, rt.clock, rt.tokens);
  if (!admin) {
    std::fprintf(stderr, "phishdrill: %s\n", admin.error().message.c_str());
    return 1;
  }
  if (admin->created) {
    spdlog::info("event=initial_admin_created email={}", log_value(admin->email));
    if (!admin->generated_password.empty()) {
      std::printf(
          "\nFirst start: created the admin account.\n  Email:    %s\n  Password: %s\n"
          "This password is shown only once; you will be asked to change it at first login.\n\n",
          admin->email.c_str(), admin->generated_password.c_str());
    }
  }
  if (demo) {
    auto seeded = seed_demo_workspace(*rt.store, rt.clock);
    if (!seeded) {
      std::fprintf(stderr, "phishdrill: demo: %s\n", seeded.error().message.c_str());
      return 1;
    }
    if (*seeded) spdlog::info("event=demo_seeded");
  }

  const auto training = load_training(config);
  // Imports made on any node reach this one (service/training_imports.h).
  service::TrainingImportSync training_sync(*rt.store, *training, rt.clock);
  training_sync.start();
  const PeriodicTask training_sync_task(std::chrono::seconds(1),
                                        [&training_sync] { training_sync.run_if_changed(); });
  const auto transports = make_transport_factory(config);
  jobs::DispatcherOptions dispatch;
  dispatch.workers = config.send_workers;
  dispatch.lease_seconds = config.lease_seconds;
  dispatch.retry.base_delay_seconds = config.retry_base_seconds;
  dispatch.retry.max_attempts = config.retry_max_attempts;
  dispatch.default_base_url = config.phish_base_url;
  dispatch.links = {config.rid_parameter, config.track_path, config.decoy_path};
  dispatch.training = {training, config.portal_path};
  jobs::Dispatcher dispatcher(*rt.store, rt.clock, rt.tokens, rt.key, dispatch, transports);
  CurlHttpClient http_client;
  jobs::WebhookDeliverer webhooks(
      *rt.store, rt.clock, rt.key, http_client,
      {.retry = {.base_delay_seconds = config.webhook_retry_base_seconds,
                 .max_delay_seconds = 3600,
                 .max_attempts = 10},
       .lease_seconds = 60,
       .verify_tls = config.verify_tls,
       .outbound = config.outbound,
       .idle_poll = std::chrono::milliseconds(500)});

  const service::MailboxPollSettings reporting = reporting_settings(config);
  const auto dictionaries = open_dictionaries(config.library_dictionaries_dir);
  spdlog::info("event=dictionaries_loaded dir={} languages={}",
               log_value(config.library_dictionaries_dir), dictionaries.size());
  api::ApiContext context{*rt.store, rt.clock,        rt.tokens,
                          rt.key,    config.security, config.phish_base_url};
  context.reporting = reporting;
  context.on_launch = [&dispatcher] { dispatcher.wake(); };
  context.send_test = make_test_sender(transports, rt.clock);
  context.outbound = config.outbound;
  context.training = training;
  context.library = std::make_shared<service::LibraryCatalogue>(load_library(config));
  for (const auto& [language, dictionary] : dictionaries)
    context.spellers[language] = dictionary.get();
  net::HttpMetrics metrics;
  net::Router admin_router;
  const DatabaseHealth database(*rt.store, std::chrono::seconds(2));
  // glibc keeps what large requests (an import, a launch) freed and RSS would
  // stay at its peak: every 10 s the free heap goes back to the system.
  const PeriodicTask memory_trim(std::chrono::seconds(10), [] { ::malloc_trim(0); });
  const NodeStatus node{config.node_name.empty() ? host_name() : config.node_name, database};
  add_admin_routes(admin_router, context, metrics, node, config);
  phish::EventWriter writer(*rt.store);
  phish::PhishContext phish_context(*rt.store, rt.clock, rt.tokens, writer, phish_settings(config));
  net::Router phish_router;
  phish_router.add("GET", "/healthz", healthz(database));
  phish::add_phish_routes(phish_router, phish_context, config.phish_base_url);
  phish::ReportButtonContext report_button{*rt.store,
                                           rt.clock,
                                           rt.key,
                                           config.phish_base_url,
                                           config.rid_parameter,
                                           reporting.max_message_bytes,
                                           load_addin_content(config.addin_dir)};
  phish::add_report_button_routes(phish_router, report_button);
  phish::add_portal_routes(phish_router, *rt.store, rt.clock, rt.tokens, training,
                           {config.portal_path, config.rid_parameter});

  net::Router metrics_router;
  metrics_router.add("GET", "/metrics",
                     metrics_endpoint(metrics, node, config.metrics_token, nullptr));

  net::EventLoop loop;
  net::HttpServer admin_server(loop, admin_router, metrics,
                               {.name = "admin",
                                .listen = config.admin_listen,
                                .extra_headers = admin_headers(),
                                .trusted_proxies = config.admin_trusted_proxies});
  net::HttpServer phish_server(
      loop, phish_router, metrics,
      {.name = "phish",
       .listen = config.phish_listen,
       .json_errors = false,
       // Answers with content of their own (landing, teaching,
       // portal pages) set their own.
       .extra_headers = {{"Content-Security-Policy", std::string(phish::default_phish_policy())}},
       .trusted_proxies = config.trusted_proxies});
  std::vector<net::HttpServer*> servers{&admin_server};
  if (config.roles.phish) servers.push_back(&phish_server);
  std::optional<net::HttpServer> metrics_server;
  if (!config.metrics_listen.empty()) {
    metrics_server.emplace(loop, metrics_router, metrics,
                           net::ServerOptions{.name = "metrics",
                                              .listen = config.metrics_listen,
                                              .extra_headers = {{"Cache-Control", "no-store"}},
                                              .trusted_proxies = {}});
    servers.push_back(&*metrics_server);
  }
  for (auto* server : servers) {
    if (auto started = server->start(); !started) {
      std::fprintf(stderr, "phishdrill: %s\n", started.error().message.c_str());
      return 1;
    }
  }
  if (config.roles.admin) {
    std::printf("Admin UI and API: http://%s/\n", config.admin_listen.c_str());
  } else {
    std::printf("Health and metrics: http://%s/healthz\n", config.admin_listen.c_str());
  }
  if (config.roles.phish) {
    std::printf("Phish server:     %s (listening on %s)\n", config.phish_base_url.c_str(),
                config.phish_listen.c_str());
  }
  std::printf("Roles:            %s (node %s)\n", describe(config.roles).c_str(),
              node.name.c_str());
  if (!admin->created) {
    std::printf("Log in with your existing account (first admin: %s).\n",
                config.initial_admin_email.c_str());
  }
  std::fflush(stdout);
  spdlog::info("event=started admin={} phish={} roles={} node={}", log_value(config.admin_listen),
               log_value(config.phish_listen), describe(config.roles), log_value(node.name));
  const int threads = config.threads > 0
                          ? config.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::optional<PeriodicTask> mailbox_polls;
  std::optional<PeriodicTask> report_retention;
  if (config.roles.worker) {
    dispatcher.start();
    webhooks.start();
    mailbox_polls.emplace(std::chrono::seconds(5), [&] {
      (void)service::poll_due_mailboxes(*rt.store, rt.key, rt.clock, reporting);
    });
    report_retention.emplace(std::chrono::hours(1), [&] {
      if (auto dropped = service::drop_expired_originals(*rt.store, rt.clock.now(),
                                                         config.report_retention_days);
          dropped && *dropped > 0) {
        spdlog::info("event=report_originals_dropped count={}", *dropped);
      }
    });
  }
  loop.run(threads);
  mailbox_polls.reset();
  report_retention.reset();
  dispatcher.stop();
  writer.stop();
  webhooks.stop();
  spdlog::info("event=stopped");
  return 0;
}

}  // namespace phishdrill::app
