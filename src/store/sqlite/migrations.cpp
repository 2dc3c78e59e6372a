#include "store/sqlite/migrations.h"

#include <array>
#include <ctime>
#include <string_view>

namespace phishdrill::sqlite {
namespace {

// Append only: never edit a migration that has shipped.
constexpr std::array<std::string_view, 19> kMigrations = {
    R"sql(
CREATE TABLE workspaces (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX users_workspace ON users(workspace_id, id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_workspace ON api_keys(workspace_id, id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  at INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id INTEGER NOT NULL,
  actor_label TEXT NOT NULL,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id INTEGER NOT NULL,
  ip TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX audit_log_workspace ON audit_log(workspace_id, id);
CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  email TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  position TEXT NOT NULL,
  department TEXT NOT NULL,
  manager_email TEXT NOT NULL,
  locale TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, email)
);
CREATE TABLE groups (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX groups_workspace ON groups(workspace_id, id);
CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, target_id)
) WITHOUT ROWID;
CREATE INDEX group_members_target ON group_members(target_id);
CREATE TABLE templates (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  subject TEXT NOT NULL,
  html TEXT NOT NULL,
  text TEXT NOT NULL,
  from_address TEXT NOT NULL,
  headers TEXT NOT NULL,
  attachments TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX templates_workspace ON templates(workspace_id, id);
CREATE TABLE pages (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  html TEXT NOT NULL,
  capture TEXT NOT NULL,
  redirect_url TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX pages_workspace ON pages(workspace_id, id);
CREATE TABLE sending_profiles (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  tls TEXT NOT NULL,
  username TEXT NOT NULL,
  password_sealed TEXT NOT NULL,
  from_address TEXT NOT NULL,
  headers TEXT NOT NULL,
  rate_per_minute INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX sending_profiles_workspace ON sending_profiles(workspace_id, id);
)sql",
    R"sql(
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  page_id INTEGER NOT NULL,
  profile_id INTEGER NOT NULL,
  base_url TEXT NOT NULL,
  launch_at INTEGER NOT NULL,
  send_by INTEGER NOT NULL,
  jitter_seconds INTEGER NOT NULL,
  window_days INTEGER NOT NULL,
  window_start_minute INTEGER NOT NULL,
  window_end_minute INTEGER NOT NULL,
  window_utc_offset_minutes INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  launched_at INTEGER NOT NULL DEFAULT 0,
  completed_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (workspace_id, name)
);
CREATE INDEX campaigns_workspace ON campaigns(workspace_id, id);
CREATE TABLE campaign_templates (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  template_id INTEGER NOT NULL,
  weight INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, position)
) WITHOUT ROWID;
CREATE TABLE campaign_groups (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  group_id INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, group_id)
) WITHOUT ROWID;
CREATE TABLE campaign_variants (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  template_id INTEGER NOT NULL,
  weight INTEGER NOT NULL,
  name TEXT NOT NULL,
  subject TEXT NOT NULL,
  html TEXT NOT NULL,
  text TEXT NOT NULL,
  from_address TEXT NOT NULL,
  headers TEXT NOT NULL,
  attachments TEXT NOT NULL
);
CREATE INDEX campaign_variants_campaign ON campaign_variants(campaign_id);
CREATE TABLE recipients (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  target_id INTEGER NOT NULL,
  rid TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  position TEXT NOT NULL,
  department TEXT NOT NULL,
  manager_email TEXT NOT NULL,
  locale TEXT NOT NULL,
  variant_id INTEGER NOT NULL REFERENCES campaign_variants(id),
  send_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  message_id TEXT NOT NULL,
  sent_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  smtp_code INTEGER NOT NULL DEFAULT 0,
  UNIQUE (campaign_id, target_id)
);
CREATE INDEX recipients_campaign ON recipients(campaign_id, id);
CREATE INDEX recipients_campaign_state ON recipients(campaign_id, state);
CREATE INDEX recipients_due ON recipients(state, send_at);
CREATE INDEX recipients_lease ON recipients(state, lease_until);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  recipient_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  automated INTEGER NOT NULL,
  reason TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX events_campaign ON events(campaign_id, id);
CREATE INDEX events_recipient ON events(recipient_id, id);
)sql",
    R"sql(
ALTER TABLE recipients ADD COLUMN status_rank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recipients ADD COLUMN first_opened_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recipients ADD COLUMN first_clicked_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recipients ADD COLUMN first_submitted_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE recipients ADD COLUMN reported_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN opened INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN clicked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN submitted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN reported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN automated_events INTEGER NOT NULL DEFAULT 0;
ALTER TABLE templates ADD COLUMN red_flags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE campaign_variants ADD COLUMN red_flags TEXT NOT NULL DEFAULT '[]';
CREATE INDEX events_ip ON events(ip, at);
)sql",
    R"sql(
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  events TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX webhooks_workspace ON webhooks(workspace_id, id);
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
)sql",
    R"sql(
ALTER TABLE pages ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
)sql",
    // Address look-ups scan only the last minutes of events by id (see
    // EventWriter), so this index cost every tracking hit for nothing.
    R"sql(
DROP INDEX events_ip;
)sql",
    // Training: follow-up per campaign, assignments, attempts, portal links,
    // the training email queue and per-workspace settings. Assignments keep a
    // snapshot of the person (no cascade): training records are evidence and
    // outlive the target's removal from the directory.
    R"sql(
ALTER TABLE campaigns ADD COLUMN follow_up_module TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN follow_up_trigger TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN follow_up_due_days INTEGER NOT NULL DEFAULT 0;
CREATE TABLE training_settings (
  workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id),
  profile_id INTEGER NOT NULL,
  portal_base_url TEXT NOT NULL,
  remind_days_before INTEGER NOT NULL,
  overdue_every_days INTEGER NOT NULL,
  max_overdue_reminders INTEGER NOT NULL,
  cc_manager_when_overdue INTEGER NOT NULL,
  link_valid_days INTEGER NOT NULL,
  follow_up_delay_seconds INTEGER NOT NULL
);
CREATE TABLE assignments (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  target_id INTEGER NOT NULL,
  email TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  department TEXT NOT NULL,
  manager_email TEXT NOT NULL,
  module_slug TEXT NOT NULL,
  reason TEXT NOT NULL,
  campaign_id INTEGER NOT NULL DEFAULT 0,
  profile_id INTEGER NOT NULL DEFAULT 0,
  portal_base_url TEXT NOT NULL DEFAULT '',
  assigned_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL DEFAULT 0,
  completed_at INTEGER NOT NULL DEFAULT 0,
  score INTEGER,
  passed INTEGER,
  module_version INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  reminders_sent INTEGER NOT NULL DEFAULT 0,
  cancel_reason TEXT NOT NULL DEFAULT '',
  quiz_nonce_hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assignments_workspace ON assignments(workspace_id, id);
CREATE INDEX assignments_target ON assignments(target_id, module_slug);
CREATE UNIQUE INDEX assignments_one_open
  ON assignments(target_id, module_slug) WHERE status IN ('assigned', 'in_progress');
CREATE UNIQUE INDEX assignments_one_per_campaign
  ON assignments(campaign_id, target_id) WHERE campaign_id <> 0;
CREATE TABLE quiz_attempts (
  id INTEGER PRIMARY KEY,
  assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  submitted_at INTEGER NOT NULL,
  score INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  module_version INTEGER NOT NULL
);
CREATE INDEX quiz_attempts_assignment ON quiz_attempts(assignment_id, id);
CREATE TABLE portal_links (
  token_hash TEXT PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX portal_links_target ON portal_links(target_id);
CREATE TABLE training_mail (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  send_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  message_id TEXT NOT NULL DEFAULT '',
  sent_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX training_mail_due ON training_mail(state, send_at);
CREATE INDEX training_mail_assignment ON training_mail(assignment_id);
)sql",
    // 8: address rules flag hits suspect instead of marking them automated;
    // the reason an operator may want to look is kept.
    R"sql(
ALTER TABLE events ADD COLUMN suspect TEXT NOT NULL DEFAULT '';
)sql",
    // 9: a page names the fields whose values may be kept (none by default,
    // so existing pages keep no value at all) and whether its own scripts may
    // run (off).
    R"sql(
ALTER TABLE pages ADD COLUMN safe_fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE pages ADD COLUMN allow_scripts INTEGER NOT NULL DEFAULT 0;
)sql",
    // 10: webhook URLs are secrets, sealed like the signing
    // secret; the store's migrate() seals the existing ones (C++, it needs the
    // key) and keeps only their masked form in "url".
    R"sql(
ALTER TABLE webhooks ADD COLUMN url_sealed TEXT NOT NULL DEFAULT '';
)sql",
    // accounts: addresses each user has signed in from (the account-wide
    // lockout spares them), and portal links minted by /learn/start, one
    // live per assignment.
    R"sql(
CREATE TABLE sign_in_addresses (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, address)
) WITHOUT ROWID;
ALTER TABLE portal_links ADD COLUMN assignment_id INTEGER
  REFERENCES assignments(id) ON DELETE CASCADE;
CREATE INDEX portal_links_assignment ON portal_links(assignment_id);
)sql",
    // Event ids are never reused, also after the newest campaign is deleted:
    // address look-ups bound their scans by id and webhook receivers see them.
    R"sql(
CREATE TABLE events_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  recipient_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  automated INTEGER NOT NULL,
  reason TEXT NOT NULL,
  details TEXT NOT NULL,
  suspect TEXT NOT NULL DEFAULT ''
);
INSERT INTO events_new (id, workspace_id, campaign_id, recipient_id, kind, at, ip, user_agent,
                        automated, reason, details, suspect)
  SELECT id, workspace_id, campaign_id, recipient_id, kind, at, ip, user_agent, automated, reason,
         details, suspect FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_campaign ON events(campaign_id, id);
CREATE INDEX events_recipient ON events(recipient_id, id);
)sql",
    // What the nodes sharing a store must agree on: each sending profile's
    // send slots (core/send_slot.h) and the sign-in throttle windows.
    R"sql(
CREATE TABLE send_rates (
  profile_id INTEGER PRIMARY KEY,
  tat_us INTEGER NOT NULL
);
CREATE TABLE throttle_windows (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX throttle_windows_start ON throttle_windows(window_start);
CREATE TABLE installation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key_check TEXT NOT NULL
);
)sql",
    // A campaign's recipients per send state, kept by triggers on every
    // insert, delete and change of state: the results page reads a few rows
    // instead of counting a million (SQLite has no parallel or index-only
    // count fast enough for that; PostgreSQL counts with its index).
    R"sql(
CREATE TABLE recipient_state_counts (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, state)
) WITHOUT ROWID;
INSERT INTO recipient_state_counts (campaign_id, state, n)
  SELECT campaign_id, state, COUNT(*) FROM recipients GROUP BY campaign_id, state;
CREATE TRIGGER recipients_counted_in AFTER INSERT ON recipients BEGIN
  INSERT INTO recipient_state_counts (campaign_id, state, n) VALUES (new.campaign_id, new.state, 1)
    ON CONFLICT (campaign_id, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER recipients_counted_out AFTER DELETE ON recipients BEGIN
  UPDATE recipient_state_counts SET n = n - 1
    WHERE campaign_id = old.campaign_id AND state = old.state;
END;
CREATE TRIGGER recipients_counted_across AFTER UPDATE OF state, campaign_id ON recipients
  WHEN old.state IS NOT new.state OR old.campaign_id IS NOT new.campaign_id BEGIN
  UPDATE recipient_state_counts SET n = n - 1
    WHERE campaign_id = old.campaign_id AND state = old.state;
  INSERT INTO recipient_state_counts (campaign_id, state, n) VALUES (new.campaign_id, new.state, 1)
    ON CONFLICT (campaign_id, state) DO UPDATE SET n = n + 1;
END;
)sql",
    // Reporting (#13): reporting mailboxes and the messages their polls took in,
    // reports and their clusters, the sealed originals, people's other addresses.
    R"sql(
CREATE TABLE reporting_mailboxes (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  tls TEXT NOT NULL,
  username TEXT NOT NULL,
  auth TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  folder TEXT NOT NULL,
  after_processing TEXT NOT NULL,
  done_folder TEXT NOT NULL,
  poll_seconds INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  next_poll_at INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  uid_validity INTEGER NOT NULL DEFAULT 0,
  last_uid INTEGER NOT NULL DEFAULT 0,
  last_polled_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE INDEX reporting_mailboxes_due ON reporting_mailboxes(next_poll_at);
CREATE TABLE mailbox_messages (
  mailbox_id INTEGER NOT NULL REFERENCES reporting_mailboxes(id) ON DELETE CASCADE,
  uid_validity INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  state TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  report_id INTEGER NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (mailbox_id, uid_validity, uid)
) WITHOUT ROWID;
CREATE TABLE report_clusters (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  fingerprint TEXT NOT NULL,
  subject TEXT NOT NULL,
  from_address TEXT NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  report_count INTEGER NOT NULL,
  score INTEGER NOT NULL,
  suggested_verdict TEXT NOT NULL,
  verdict TEXT NOT NULL DEFAULT '',
  verdict_note TEXT NOT NULL DEFAULT '',
  verdict_by INTEGER NOT NULL DEFAULT 0,
  verdict_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (workspace_id, fingerprint)
);
CREATE INDEX report_clusters_workspace ON report_clusters(workspace_id, id);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  source TEXT NOT NULL,
  mailbox_id INTEGER NOT NULL,
  reporter TEXT NOT NULL,
  reporter_target_id INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL,
  subject TEXT NOT NULL,
  from_address TEXT NOT NULL,
  from_name TEXT NOT NULL,
  message_id TEXT NOT NULL,
  campaign_id INTEGER NOT NULL,
  recipient_id INTEGER NOT NULL,
  seconds_to_report INTEGER NOT NULL,
  cluster_id INTEGER REFERENCES report_clusters(id),
  score INTEGER NOT NULL,
  suggested_verdict TEXT NOT NULL,
  verdict TEXT NOT NULL DEFAULT '',
  verdict_note TEXT NOT NULL DEFAULT '',
  verdict_by INTEGER NOT NULL DEFAULT 0,
  verdict_at INTEGER NOT NULL DEFAULT 0,
  evidence TEXT NOT NULL
);
CREATE UNIQUE INDEX reports_once ON reports(workspace_id, reporter, message_id) WHERE message_id <> '';
CREATE INDEX reports_workspace ON reports(workspace_id, id);
CREATE INDEX reports_status ON reports(workspace_id, status, id);
CREATE INDEX reports_cluster ON reports(cluster_id, id);
CREATE INDEX reports_received ON reports(received_at);
CREATE INDEX reports_credited ON reports(campaign_id, seconds_to_report) WHERE recipient_id > 0;
CREATE TABLE report_originals (
  report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  sealed TEXT NOT NULL
);
CREATE TABLE target_aliases (
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  email TEXT NOT NULL,
  target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
  PRIMARY KEY (workspace_id, email)
) WITHOUT ROWID;
CREATE INDEX target_aliases_target ON target_aliases(target_id);
CREATE INDEX recipients_message_id ON recipients(message_id) WHERE message_id <> '';
)sql",
    // Feedback to reporters and forwarded button reports (#13).
    R"sql(
ALTER TABLE reports ADD COLUMN automatic INTEGER NOT NULL DEFAULT 0;
CREATE TABLE report_feedback_settings (
  workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id),
  enabled INTEGER NOT NULL,
  profile_id INTEGER NOT NULL,
  forward_to TEXT NOT NULL,
  texts TEXT NOT NULL
);
CREATE TABLE report_mail (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued',
  send_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  message_id TEXT NOT NULL DEFAULT '',
  sent_verdict TEXT NOT NULL DEFAULT '',
  sent_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  UNIQUE (report_id, kind)
);
CREATE INDEX report_mail_due ON report_mail(state, send_at);
CREATE INDEX report_mail_forwarded ON report_mail(message_id) WHERE kind = 'forward' AND message_id <> '';
-- Triage looks up the organisation's people by name and its domains by count
-- (store/reporters_repository.h) for every real report: by index, not a scan.
CREATE INDEX targets_full_name ON targets(workspace_id, lower(first_name || ' ' || last_name)) WHERE first_name <> '';
CREATE INDEX targets_domain ON targets(workspace_id, lower(substr(email, instr(email, '@') + 1)));
)sql",
    // The NIST Phish Scale (#14): a template's own cues and category, and a
    // workspace's premise answers per library category.
    R"sql(
ALTER TABLE templates ADD COLUMN phish_scale TEXT NOT NULL DEFAULT '{}';
CREATE TABLE premise_answers (
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  category TEXT NOT NULL,
  ratings TEXT NOT NULL,
  PRIMARY KEY (workspace_id, category)
) WITHOUT ROWID;
)sql",
    // Simulations a workspace imports from packs (#14): the folder's files.
    R"sql(
CREATE TABLE imported_simulations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: caches key on it
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  slug TEXT NOT NULL,
  version INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  files TEXT NOT NULL,
  UNIQUE (workspace_id, slug)
);
)sql",
    // Training modules imported by a workspace (#12): the archive, for every node.
    R"sql(
CREATE TABLE training_imports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  slug TEXT NOT NULL,
  version INTEGER NOT NULL,
  imported_at INTEGER NOT NULL,
  archive TEXT NOT NULL,  -- the tar archive, base64
  UNIQUE (workspace_id, slug)
);
)sql",
};

int current_version(Connection& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at INTEGER NOT NULL)");
  auto stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  stmt.step();
  return static_cast<int>(stmt.int64(0));
}

}  // namespace

int apply_migrations(Connection& db) {
  const int from = current_version(db);
  int applied = 0;
  for (int version = from + 1; version <= static_cast<int>(kMigrations.size()); ++version) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(kMigrations[static_cast<std::size_t>(version - 1)]);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
          .bind(1, version)
          .bind(2, static_cast<std::int64_t>(std::time(nullptr)))
          .run();
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
    ++applied;
  }
  return applied;
}

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

int recorded_schema_version(Connection& db) {
  auto table = db.prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  table.step();
  if (table.int64(0) == 0) return 0;
  auto version = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  version.step();
  return static_cast<int>(version.int64(0));
}

}  // namespace phishdrill::sqlite
