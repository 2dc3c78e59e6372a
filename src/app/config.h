// Config: every setting of the server, from one TOML file (--config) with any
// key overridden by a PHISHDRILL_* environment variable named after its
// section and key (e.g. [phish] base_url → PHISHDRILL_PHISH_BASE_URL;
// top-level data_dir → PHISHDRILL_DATA_DIR). docs/configuration.md lists every
// key. Unknown keys and malformed values are errors, never silently ignored.
// A list is a TOML array of strings or, in a string and in the environment,
// comma-separated.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "api/context.h"
#include "core/error.h"
#include "core/outbound_policy.h"

namespace phishdrill::app {

// A node's roles: "admin" (the admin UI and API), "phish" (the phish server:
// tracking, landing pages, the training portal), "worker" (sending campaign
// and training mail, delivering webhooks). Every role by default.
struct NodeRoles {
  bool admin = true;
  bool phish = true;
  bool worker = true;
};

// "admin,phish", "worker", "all": a comma-separated list, at least one.
Result<NodeRoles> parse_node_roles(std::string_view list);
std::string describe(const NodeRoles& roles);  // e.g. "admin,worker"

struct Config {
  std::string data_dir = "./data";
  std::string admin_listen = "127.0.0.1:3333";
  std::string phish_listen = "0.0.0.0:8080";
  std::string phish_base_url;  // default: http://localhost:<phish port>
  int threads = 0;             // 0 = one per core
  std::string initial_admin_email = "admin@phishdrill.local";
  std::string initial_admin_password;           // empty = generate, print once, force a change
  std::string initial_api_key;                  // empty = none
  api::SecuritySettings security;               // [security], plus admin.secure_cookie
  std::set<std::string> admin_trusted_proxies;  // comma-separated in TOML/env
  // [metrics]: /metrics needs `Authorization: Bearer <token>` when a token is
  // set; it is served on `listen` instead of the admin listener when that is
  // set; with neither, it needs an admin session or admin API key.
  std::string metrics_token;
  std::string metrics_listen;
  // [store]: the database. Empty: the embedded SQLite file in data_dir;
  // "postgres://user:password@host:port/db?sslmode=verify-full": PostgreSQL,
  // which several nodes may share.
  std::string store_url;
  std::string log_level = "info";
  // [node]: this process's name in /metrics and the log (several nodes may
  // share one database); empty = the host name.
  std::string node_name;
  // [node] roles: what this node does, so phish servers can scale apart from
  // the rest; several nodes with different roles share one PostgreSQL.
  NodeRoles roles;
  // [log]: the log file is rotated at log_max_file_mb, keeping log_max_files
  // older files, so the log folder never holds more than
  // log_max_file_mb × (log_max_files + 1).
  int log_max_file_mb = 64;
  int log_max_files = 5;
  // [jobs]: the sending queue.
  int send_workers = 4;         // parallel senders = open SMTP connections at most
  int lease_seconds = 60;       // a claimed message not finished by then is retried
  int retry_base_seconds = 60;  // first backoff after a temporary refusal (doubles)
  int retry_max_attempts = 8;
  int webhook_retry_base_seconds = 30;  // first webhook retry delay (doubles)
  // [mail]
  bool verify_tls = true;  // verify relays' certificates
  // [outbound] allow: hosts and ranges SMTP relays and webhooks may reach
  // although the policy refuses them by default (loopback, private for
  // webhooks ...). A TOML array or a comma-separated string.
  OutboundPolicy outbound{};
  // [phish] link style
  std::string rid_parameter = "rid";
  std::string track_path = "/track";
  std::string report_path = "/report";
  std::string decoy_path = "/r";
  std::string beacon_path = "/v";         // the landing page's beacon (evidence of a person)
  std::set<std::string> trusted_proxies;  // comma-separated in TOML/env
  int scanner_window_seconds = 10;        // hits this soon after delivery are scanners
  int ip_hits_per_second = 50;            // per-address limit on the phish server (0 = off)
  // [reporting]: reporting mailboxes and the triage inbox.
  std::string reporting_ca_file;            // CAs to trust for IMAP servers ("" = the system's)
  int report_retention_days = 90;           // originals of reported mail are dropped after this
  int report_max_message_mb = 32;           // larger reports are refused (with the reason) unread
  std::string addin_dir = "content/addin";  // the report button's Outlook add-in
  // [training]
  std::string training_content_dir = "content/training";  // shipped modules
  std::string portal_path = "/learn";                     // the employee portal on the phish server
  // [library]
  std::string library_content_dir = "content/simulations";  // the shipped simulation library
  // Hunspell dictionaries for the Phish Scale's spelling cue (en_US, es_ES).
  std::string library_dictionaries_dir = "/usr/share/hunspell";
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Reads `path` (when given) then applies environment overrides.
Result<Config> load_config(const std::optional<std::string>& path, const EnvLookup& env);

// The process environment.
std::optional<std::string> process_env(const std::string& name);

}  // namespace phishdrill::app
