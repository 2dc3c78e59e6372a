// The store copy against a real PostgreSQL (skipped without
// PHISHDRILL_TEST_PG_URL): a SQLite store filled through the Store ports
// reads back the same through the PostgreSQL store's ports, sealed secrets
// still open with the installation's key, and new rows get fresh ids; a
// target with rows, a source at an older schema version, a table or column
// the other side lacks and a value that does not fit are refused, each with
// nothing committed; bad ends fail clearly without the password.
#include "store/copy/store_copy.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sodium.h"
#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "support/postgres_test_store.h"
#include "support/test_campaign.h"

namespace phishdrill::store_copy {
namespace {

namespace fs = std::filesystem;
using testing_support::append_test_event;
using testing_support::launch_test_campaign;
using testing_support::make_test_workspace;
using testing_support::test_rid;

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC
constexpr std::int64_t kDay = 86400;
constexpr const char* kRelayPassword = "relay pass\tword\\with\nodd bytes";
constexpr const char* kWebhookUrl = "https://hooks.example.com/T0/secret-path";

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "pd_test_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One line of a digest: the fields, '|'-separated.
template <typename... Fields>
std::string line(const Fields&... fields) {
  std::ostringstream out;
  ((out << fields << '|'), ...);
  return out.str();
}

template <typename T>
std::string opt(const std::optional<T>& value) {
  return value ? line(*value) : "none";
}

// Everything populate() wrote, read back through the ports of `repos`.
class Digest {
 public:
  explicit Digest(Repositories& repos) : repos_(repos) {}

  std::vector<std::string> all() {
    const auto ws = repos_.accounts.find_workspace_by_name("Acme");
    const auto other = repos_.accounts.find_workspace_by_name("Globex");
    if (!ws || !other) return {"workspaces missing"};
    add(line("ws", ws->id, ws->name, other->id, other->name));
    accounts(ws->id);
    directory(ws->id);
    content(ws->id);
    for (const auto& c : repos_.campaigns.list_campaigns(ws->id, {0, 100}).items) campaign(c);
    training(ws->id);
    webhooks(ws->id);
    return lines_;
  }

 private:
  void add(std::string text) { lines_.push_back(std::move(text)); }

  void accounts(std::int64_t ws) {
    for (const auto& u : repos_.accounts.list_users(ws, {0, 100}).items) {
      const auto c = repos_.accounts.find_credentials(u.email);
      add(line("user", u.id, u.email, u.name, static_cast<int>(u.role), u.must_change_password,
               u.created_at, c ? c->password_hash : "-", c ? c->failed_logins : -1,
               c ? c->locked_until : -1, repos_.sign_ins.has_signed_in_from(u.id, "192.0.2.1")));
    }
    const auto s = repos_.sessions.find_session("session-hash");
    add(s ? line("session", s->user_id, s->workspace_id, s->created_at, s->last_seen_at)
          : "no session");
    for (const auto& k : repos_.sessions.list_api_keys(ws, {0, 100}).items) {
      add(line("key", k.id, k.user_id, k.name, static_cast<int>(k.role), k.prefix, k.created_at,
               k.last_used_at, repos_.sessions.find_api_key("key-hash").has_value()));
    }
    for (const auto& a : repos_.audit.list(ws, {0, 100}).items) {
      add(line("audit", a.id, a.at, a.actor.kind, a.actor.id, a.actor.label, a.action,
               a.resource_type, a.resource_id, a.ip, a.details_json));
    }
  }

  void directory(std::int64_t ws) {
    for (const auto& g : repos_.groups.list_groups(ws, {0, 100}).items) {
      add(line("group", g.id, g.name, g.target_count, g.created_at, g.updated_at));
      for (const auto& t : repos_.groups.list_members(g.id, {0, 100}).items) {
        const auto& f = t.fields;
        add(line("member", t.id, f.email, f.first_name, f.last_name, f.position, f.department,
                 f.manager_email, f.locale));
      }
    }
  }

  void content(std::int64_t ws) {
    for (const auto& t : repos_.templates.list_templates(ws, {0, 100}).items) {
      add(line("template", t.id, t.name, t.subject, t.html, t.text, t.from, t.created_at));
      for (const auto& h : t.headers) add(line("header", h.name, h.value));
      for (const auto& a : t.attachments) add(line("attachment", a.name, a.content_base64));
      for (const auto& r : t.red_flags) add(line("flag", r.part, r.text, r.explanation));
    }
    for (const auto& p : repos_.pages.list_pages(ws, {0, 100}).items) {
      add(line("page", p.id, p.name, p.html, static_cast<int>(p.capture), p.redirect_url,
               p.source_url, p.safe_fields.size(), p.allow_scripts));
    }
    for (const auto& p : repos_.profiles.list_profiles(ws, {0, 100}).items) {
      add(line("profile", p.id, p.name, static_cast<int>(p.kind), p.host, p.port,
               static_cast<int>(p.tls), p.username, p.has_password, p.from, p.headers.size(),
               p.rate_per_minute, opt(repos_.profiles.find_sealed_password(ws, p.id))));
    }
  }

  void campaign(const Campaign& c) {
    add(line("campaign", c.id, c.name, static_cast<int>(c.status), c.page_id, c.profile_id,
             c.base_url, c.seed, c.launched_at,
             c.follow_up ? c.follow_up->module_slug + "/" + c.follow_up->trigger : "none",
             c.templates.size(), c.group_ids.size()));
    const auto counts = repos_.results.result_counts(c.id);
    add(line("counts", counts.opened, counts.clicked, counts.submitted, counts.reported,
             counts.automated_events, repos_.results.count_recipients(c.id).sent));
    for (const auto& r : repos_.results.list_recipients(c.id, {}, {0, 100}).items) {
      add(line("recipient", r.id, r.target_id, r.rid, r.fields.email, r.variant_id, r.send_at,
               static_cast<int>(r.state), r.attempts, r.message_id, r.sent_at, r.last_error,
               r.smtp_code, r.status_rank, r.first_opened_at, r.first_clicked_at));
      const auto v = repos_.campaigns.find_variant(r.variant_id);
      add(v ? line("variant", v->id, v->template_id, v->weight, v->content.subject) : "no variant");
      for (const auto& e : repos_.events.list_events(c.id, r.id, {0, 100}).items) {
        add(line("event", e.id, e.kind, e.at, e.ip, e.user_agent, e.automated, e.reason, e.suspect,
                 e.details_json));
      }
    }
  }

  void training(std::int64_t ws) {
    const auto s = repos_.training.settings(ws);
    add(line("settings", s.profile_id, s.portal_base_url, s.remind_days_before,
             s.cc_manager_when_overdue, s.link_valid_days));
    for (const auto& a : repos_.training.list_assignments(ws, {}, {0, 100}).items) {
      add(line("assignment", a.id, a.target.email, a.module_slug, a.reason, a.campaign_id,
               static_cast<int>(a.status), opt(a.score), opt(a.passed), a.module_version,
               a.attempts));
      for (const auto& q : repos_.training.attempts_of(a.id)) {
        add(line("attempt", q.id, q.submitted_at, q.score, q.passed, q.module_version));
      }
      for (const auto& m : repos_.training.mails_of(a.id)) {
        add(line("mail", m.kind, m.state, m.send_at, m.sent_at, m.attempts));
      }
    }
    const auto link = repos_.portal.find_portal_link("portal-hash");
    add(link ? line("link", link->workspace_id, link->target_id, link->expires_at) : "no link");
  }

  void webhooks(std::int64_t ws) {
    for (const auto& w : repos_.webhooks.list_webhooks(ws, {0, 100}).items) {
      add(line("webhook", w.id, w.name, w.url_masked, w.events.size(), w.active, w.has_secret));
      for (const auto& d : repos_.webhooks.list_deliveries(w.id, {0, 100}).items) {
        add(line("delivery", d.id, d.kind, d.payload, d.state, d.next_attempt_at));
      }
    }
  }

  Repositories& repos_;
  std::vector<std::string> lines_;
};

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto url = testing_support::test_pg_url();
    if (!url) GTEST_SKIP() << testing_support::kNoTestPg;
    source_dir_ = make_temp_dir();
    target_dir_ = make_temp_dir();
    ASSERT_FALSE(source_dir_.empty());
    ASSERT_FALSE(target_dir_.empty());
    key_.fill(5);
    auto source = open_sqlite_store(source_path(), key_);
    ASSERT_TRUE(source.has_value()) << source.error().message;
    source_ = std::move(*source);
    ASSERT_TRUE(source_->migrate().has_value());
    // Creates the target's schema (named after its folder); nothing in it yet.
    auto target = testing_support::open_postgres_test_store(target_dir_, key_);
    ASSERT_TRUE(target.has_value()) << target.error().message;
    target_ = std::move(*target);
    admin_url_ = *url;
    target_url_ =
        testing_support::with_search_path(*url, testing_support::test_schema_of(target_dir_));
  }

  void TearDown() override {
    source_.reset();
    target_.reset();
    std::error_code ec;
    if (!source_dir_.empty()) fs::remove_all(source_dir_, ec);
    if (!target_dir_.empty()) fs::remove_all(target_dir_, ec);
  }

  std::string source_path() const { return (source_dir_ / "phishdrill.db").string(); }

  template <typename Fn>
  void write(Store& store, Fn fn) {
    auto result = store.write([&](Repositories& repos) -> Result<void> {
      fn(repos);
      return {};
    });
    ASSERT_TRUE(result.has_value()) << result.error().message;
  }

  std::vector<std::string> digest(Store& store) {
    std::vector<std::string> lines;
    auto result = store.read([&](Repositories& repos) -> Result<void> {
      lines = Digest(repos).all();
      return {};
    });
    EXPECT_TRUE(result.has_value()) << result.error().message;
    return lines;
  }

  // Something in every table, written through the ports as the services do.
  void populate() {
    write(*source_, [&](Repositories& repos) {
      auto made = make_test_workspace(repos, {"ann@x.example", "bob@x.example"}, kNow);
      ws_ = made.audience.workspace_id;
      repos.accounts.create_workspace("Globex", kNow);
      TargetFields odd;
      odd.email = "zoe@x.example";
      odd.first_name = "Zoë\tTab";
      odd.last_name = "O'Brien \\ back\nslash";
      odd.locale = "fr-CA";
      const auto odd_id = repos.groups.upsert_targets(ws_, {odd}, kNow).target_ids;
      repos.groups.add_members(made.audience.group_id, odd_id);
      made.audience.target_ids.push_back(odd_id[0]);
      made.audience.people.push_back(odd);
      accounts(repos);
      content(repos);
      campaign_ = launch_test_campaign(repos, made.audience, made.tmpl, "Q1",
                                       FollowUp{"phishing-basics", "clicked", 7}, kNow);
      results(repos);
      training(repos, made.audience.target_ids[0]);
      webhooks(repos);
    });
  }

  void accounts(Repositories& repos) {
    User user;
    user.workspace_id = ws_;
    user.email = "ops@acme.example";
    user.name = "Ops";
    user.role = Role::kOperator;
    user.must_change_password = true;
    user.created_at = kNow;
    auto created = repos.accounts.create_user(user, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
    ASSERT_TRUE(created.has_value());
    repos.sign_ins.set_login_failures(created->id, 2, kNow + 60);
    repos.sign_ins.remember_sign_in(created->id, "192.0.2.1", kNow);
    repos.sessions.create_session("session-hash", *created, kNow);
    ApiKey key;
    key.workspace_id = ws_;
    key.user_id = created->id;
    key.name = "ci";
    key.role = Role::kViewer;
    key.prefix = "pd_abc";
    key.created_at = kNow;
    repos.sessions.create_api_key(key, "key-hash");
    repos.audit.append(AuditEntry{0,
                                  ws_,
                                  kNow,
                                  {"user", created->id, "ops@acme.example"},
                                  "group.create",
                                  "group",
                                  1,
                                  "192.0.2.1",
                                  R"({"name":"Every\tone"})"});
  }

  void content(Repositories& repos) {
    LandingPage page;
    page.name = "Login";
    page.html = "<form>\n<input name=username>\n</form>";
    page.capture = CapturePolicy::kFields;
    page.safe_fields = {"username"};
    page.allow_scripts = true;
    page.source_url = "https://intranet.example.com/login";
    ASSERT_TRUE(repos.pages.create_page(ws_, page).has_value());
    SendingProfile profile;
    profile.name = "Relay";
    profile.kind = TransportKind::kSmtp;
    profile.host = "smtp.example.com";
    profile.port = 587;
    profile.tls = TlsMode::kStartTls;
    profile.username = "mailer";
    profile.from = "IT <it@example.com>";
    profile.headers = {{"X-Drill", "1"}};
    profile.rate_per_minute = 60;
    sealed_password_ = crypto::seal(key_, kRelayPassword);
    auto created = repos.profiles.create_profile(ws_, profile, sealed_password_);
    ASSERT_TRUE(created.has_value());
    profile_ = created->id;
  }

  void results(Repositories& repos) {
    const auto first = repos.events.find_rid(test_rid(campaign_, 0));
    const auto second = repos.events.find_rid(test_rid(campaign_, 1));
    ASSERT_TRUE(first && second);
    repos.send_queue.mark_sent(first->recipient_id, kNow + 5);
    repos.send_queue.mark_failed(second->recipient_id, "550 no such user", 550);
    append_test_event(repos, test_rid(campaign_, 0), "sent", kNow + 5);
    append_test_event(repos, test_rid(campaign_, 0), "opened", kNow + 9, true);
    append_test_event(repos, test_rid(campaign_, 0), "clicked", kNow + 20);
    repos.results.set_recipient_funnel(first->recipient_id, Funnel{2, kNow + 20, kNow + 20, 0, 0});
    repos.results.add_to_counters(campaign_, CounterDelta{1, 1, 0, 0, 1});
  }

  void training(Repositories& repos, std::int64_t target_id) {
    TrainingSettings settings;
    settings.profile_id = profile_;
    settings.portal_base_url = "https://learn.example.com";
    settings.cc_manager_when_overdue = true;
    repos.training.save_settings(ws_, settings);
    NewAssignments request;
    request.module_slug = "phishing-basics";
    request.reason = "campaign";
    request.campaign_id = campaign_;
    request.profile_id = profile_;
    request.now = kNow;
    request.due_at = kNow + 7 * kDay;
    const auto id = repos.training.insert_assignment(ws_, target_id, request);
    ASSERT_TRUE(id.has_value());
    repos.training.queue_training_mail(ws_, *id, {{"assigned", kNow}, {"reminder", kNow + kDay}});
    repos.portal.create_portal_link(ws_, target_id, "portal-hash", kNow, kNow + 30 * kDay);
    repos.portal.replace_start_link(ws_, target_id, *id, "start-hash", kNow, kNow + kDay);
    repos.portal.mark_started(*id, kNow + 100);
    repos.portal.record_attempt(QuizAttempt{0, *id, kNow + 200, 50, false, 3});
  }

  void webhooks(Repositories& repos) {
    Webhook hook;
    hook.name = "SIEM";
    hook.events = {"clicked", "submitted"};
    const WebhookSeals seals{"https://hooks.example.com/…", crypto::seal(key_, kWebhookUrl),
                             crypto::seal(key_, "whsec")};
    ASSERT_TRUE(repos.webhooks.create_webhook(ws_, hook, seals).has_value());
    repos.webhooks.enqueue(ws_, "clicked", R"({"rid":"x"})", kNow);
  }

  Result<CopyReport> copy() {
    source_.reset();  // the server is stopped first
    return copy_sqlite_to_postgres(source_path(), target_url_);
  }

  // Rows in every table of the target's schema (schema_migrations aside).
  std::int64_t target_rows() {
    auto admin = pg::Connection::open(target_url_);
    EXPECT_TRUE(admin.has_value());
    if (!admin) return -1;
    const auto tables = (*admin)->run(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = "
        "current_schema() AND table_name <> 'schema_migrations'");
    std::int64_t rows = 0;
    for (int i = 0; i < tables.size(); ++i) {
      rows += (*admin)->run("SELECT count(*) FROM \"" + tables.text(i, 0) + "\"").int64(0, 0);
    }
    return rows;
  }

  std::int64_t target_tables() {
    auto admin = pg::Connection::open(target_url_);
    EXPECT_TRUE(admin.has_value());
    if (!admin) return -1;
    return (*admin)
        ->run(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
            "current_schema()")
        .int64(0, 0);
  }

  // Runs SQL on the source file directly (to make it unlike a current store).
  void source_sql(const std::string& sql) {
    source_.reset();
    sqlite::Connection db(source_path());
    db.exec(sql);
  }

  fs::path source_dir_;
  fs::path target_dir_;
  SecretKey key_{};
  std::unique_ptr<Store> source_;
  std::unique_ptr<Store> target_;
  std::string admin_url_;
  std::string target_url_;
  std::int64_t ws_ = 0;
  std::int64_t campaign_ = 0;
  std::int64_t profile_ = 0;
  std::string sealed_password_;
};

TEST_F(StoreCopyTest, EverythingReadsBackTheSameThroughThePostgresPorts) {
  populate();
  const auto before = digest(*source_);
  ASSERT_GT(before.size(), 30u);
  const auto report = copy();
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_GT(report->migrations_applied, 0);
  EXPECT_EQ(digest(*target_), before);

  std::int64_t recipients = -1;
  for (const auto& t : report->tables) {
    EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
    if (t.table == "recipients") recipients = t.target_rows;
  }
  EXPECT_EQ(recipients, 3);
  // Parents before children (tables without foreign keys may come anywhere).
  const auto position = [&](std::string_view table) {
    for (std::size_t i = 0; i < report->tables.size(); ++i) {
      if (report->tables[i].table == table) return i;
    }
    return report->tables.size();
  };
  EXPECT_LT(position("workspaces"), position("users"));
  EXPECT_LT(position("campaigns"), position("recipients"));
  EXPECT_LT(position("campaigns"), position("events"));
  EXPECT_GE(report->sequences_advanced, 15);
}

TEST_F(StoreCopyTest, SecretsStaySealedAndOpenWithTheSameKey) {
  populate();
  ASSERT_TRUE(copy().has_value());
  write(*target_, [&](Repositories& repos) {
    const auto sealed = repos.profiles.find_sealed_password(ws_, profile_);
    EXPECT_EQ(sealed, sealed_password_);
    EXPECT_EQ(crypto::open(key_, sealed.value_or("")), kRelayPassword);
    const auto due = repos.webhooks.claim_deliveries(kNow + 1, kNow + 60, 10);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(crypto::open(key_, due[0].url_sealed), kWebhookUrl);
    EXPECT_EQ(crypto::open(key_, due[0].secret_sealed), "whsec");
  });
  SecretKey other{};
  other.fill(6);
  EXPECT_FALSE(crypto::open(other, sealed_password_).has_value());
}

TEST_F(StoreCopyTest, NewRowsAfterTheCopyGetFreshIds) {
  populate();
  const auto report = copy();
  ASSERT_TRUE(report.has_value()) << report.error().message;
  write(*target_, [&](Repositories& repos) {
    const auto next = repos.accounts.create_workspace("Initech", kNow);
    EXPECT_GT(next.id, ws_);
    const auto event = append_test_event(repos, test_rid(campaign_, 2), "opened", kNow + 50);
    EXPECT_GT(event, 3);
    LandingPage second;
    second.name = "Second";
    auto page = repos.pages.create_page(ws_, second);
    EXPECT_TRUE(page.has_value()) << (page ? "" : page.error().message);
    TargetFields t;
    t.email = "new@x.example";
    EXPECT_EQ(repos.groups.upsert_targets(ws_, {t}, kNow).created, 1);
  });
}

// Event ids are never reused, also after the newest events are gone
// (address look-ups bound their scans by id; webhook receivers see them).
TEST_F(StoreCopyTest, AnIdSqliteHandedOutIsNotHandedOutAgain) {
  populate();
  source_sql("DELETE FROM events WHERE id = (SELECT max(id) FROM events)");
  ASSERT_TRUE(copy().has_value());
  write(*target_, [&](Repositories& repos) {
    EXPECT_EQ(append_test_event(repos, test_rid(campaign_, 2), "opened", kNow + 50), 4);
  });
}

TEST_F(StoreCopyTest, RefusesATargetWithRowsAndChangesNothing) {
  populate();
  ASSERT_TRUE(target_->migrate().has_value());
  write(*target_, [&](Repositories& repos) { repos.accounts.create_workspace("Initech", kNow); });
  const auto report = copy();
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kConflict);
  EXPECT_NE(report.error().message.find("not empty: there are rows in workspaces"),
            std::string::npos)
      << report.error().message;
  EXPECT_EQ(target_rows(), 1);
}

TEST_F(StoreCopyTest, RefusesATargetWithRowsBeforeMigratingIt) {
  populate();
  auto admin = pg::Connection::open(target_url_);
  ASSERT_TRUE(admin.has_value());
  (*admin)->exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')");
  const auto report = copy();
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kConflict);
  EXPECT_NE(report.error().message.find("rows in notes"), std::string::npos);
  EXPECT_EQ(target_tables(), 1);  // not migrated
}

TEST_F(StoreCopyTest, RefusesASourceAtAnOlderSchemaAndTouchesNeitherStore) {
  populate();
  source_sql(
      "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM "
      "schema_migrations)");
  const std::string bytes = read_bytes(source_path());
  const auto report = copy();
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kValidation);
  EXPECT_NE(report.error().message.find("schema version " +
                                        std::to_string(sqlite::latest_schema_version() - 1)),
            std::string::npos)
      << report.error().message;
  EXPECT_NE(report.error().message.find("run `phishdrill migrate`"), std::string::npos);
  EXPECT_EQ(read_bytes(source_path()), bytes);
  EXPECT_FALSE(fs::exists(source_path() + "-wal"));
  EXPECT_EQ(target_tables(), 0);
}

TEST_F(StoreCopyTest, ATableTheTargetLacksStopsTheCopy) {
  populate();
  source_sql("CREATE TABLE login_throttle (id INTEGER PRIMARY KEY, hits INTEGER)");
  const auto report = copy();
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kValidation);
  EXPECT_NE(report.error().message.find("tables only in the SQLite store: login_throttle"),
            std::string::npos)
      << report.error().message;
  EXPECT_EQ(target_rows(), 0);
}

TEST_F(StoreCopyTest, AColumnTheTargetLacksStopsTheCopy) {
  populate();
  source_sql("ALTER TABLE pages ADD COLUMN colour TEXT NOT NULL DEFAULT ''");
  const auto report = copy();
  ASSERT_FALSE(report.has_value());
  EXPECT_NE(report.error().message.find("pages.colour is only in the SQLite store"),
            std::string::npos)
      << report.error().message;
  EXPECT_EQ(target_rows(), 0);
}

TEST_F(StoreCopyTest, AValueThatDoesNotFitRollsBackTheWholeCopy) {
  populate();
  source_sql("UPDATE events SET automated = 2 WHERE kind = 'clicked'");
  const auto report = copy();
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kValidation);
  EXPECT_NE(report.error().message.find("events.automated, row 3: holds 2 where a flag"),
            std::string::npos)
      << report.error().message;
  EXPECT_EQ(target_rows(), 0);  // the tables copied before events are gone too
}

TEST_F(StoreCopyTest, AValuePostgresRefusesRollsBackTheWholeCopy) {
  populate();
  source_sql(
      "UPDATE targets SET last_name = CAST(x'41ff42' AS TEXT) WHERE email = 'bob@x.example'");
  const auto report = copy();
  ASSERT_FALSE(report.has_value());
  EXPECT_NE(report.error().message.find("COPY targets"), std::string::npos)
      << report.error().message;
  EXPECT_EQ(target_rows(), 0);
}

TEST_F(StoreCopyTest, AMissingOrForeignSourceIsRefused) {
  const auto missing = copy_sqlite_to_postgres((source_dir_ / "nope.db").string(), target_url_);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(source_dir_ / "nope.db"));

  std::ofstream(source_dir_ / "notes.txt") << "not a database, just text long enough to tell";
  const auto text = copy_sqlite_to_postgres((source_dir_ / "notes.txt").string(), target_url_);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().code, ErrorCode::kBadRequest);

  { sqlite::Connection other((source_dir_ / "other.db").string()); }
  const auto other = copy_sqlite_to_postgres((source_dir_ / "other.db").string(), target_url_);
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message.find("is not a Phishdrill store"), std::string::npos)
      << other.error().message;
  EXPECT_EQ(target_tables(), 0);
}

TEST_F(StoreCopyTest, AnUnreachableTargetFailsWithoutItsPassword) {
  populate();
  source_.reset();
  const auto report =
      copy_sqlite_to_postgres(source_path(), "postgres://pd:Sup3rSecret@127.0.0.1:1/phishdrill");
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(report.error().message.find("Sup3rSecret"), std::string::npos)
      << report.error().message;
}

TEST_F(StoreCopyTest, ATargetSchemaThatDoesNotExistIsRefused) {
  populate();
  source_.reset();
  const auto report = copy_sqlite_to_postgres(
      source_path(), testing_support::with_search_path(admin_url_, "pdt_no_such_schema"));
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(report.error().message.find("no schema to work in"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill::store_copy
