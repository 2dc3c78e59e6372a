// End-to-end tests of the sending queue: a real SQLite store, a fake clock and
// a fake transport. The dispatcher runs its own worker threads, so the tests
// poll the store with a bounded wait instead of sleeping.
#include "jobs/dispatcher.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/recipient_plan.h"
#include "crypto/sodium.h"
#include "mail/mime_composer.h"
#include "service/relay_password.h"
#include "store/store.h"
#include "support/fakes.h"
#include "support/store_fixture.h"

namespace phishdrill::jobs {
namespace {

using testing_support::FakeClock;
using testing_support::FakeTokens;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::int64_t kStart = 1704099600;  // Monday 2024-01-01 09:00 UTC

struct Attempt {
  std::string envelope_from;
  std::string recipient;
  std::string message_id;
  std::string mime;
  SendOutcome::Status status = SendOutcome::Status::kSent;
  std::chrono::steady_clock::time_point at;
};

// What every fake transport reports to, plus scripted refusals per recipient.
class FakeMail {
 public:
  // The next sends to `recipient` return these outcomes in turn, then kSent.
  void script(const std::string& recipient, std::vector<SendOutcome> outcomes) {
    std::lock_guard lock(mutex_);
    for (auto& o : outcomes) script_[recipient].push_back(std::move(o));
  }

  SendOutcome send(std::string_view from, std::string_view to, std::string_view message_id,
                   std::string_view mime) {
    std::lock_guard lock(mutex_);
    SendOutcome outcome;
    if (auto it = script_.find(std::string(to)); it != script_.end() && !it->second.empty()) {
      outcome = it->second.front();
      it->second.pop_front();
    }
    attempts_.push_back({std::string(from), std::string(to), std::string(message_id),
                         std::string(mime), outcome.status, std::chrono::steady_clock::now()});
    return outcome;
  }

  std::vector<Attempt> attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
  }

  std::vector<Attempt> attempts_to(const std::string& recipient) const {
    std::vector<Attempt> out;
    for (auto& a : attempts()) {
      if (a.recipient == recipient) out.push_back(a);
    }
    return out;
  }

  void note_transport(const SendingProfile& profile, const std::string& password) {
    std::lock_guard lock(mutex_);
    passwords_[profile.id] = password;
    ++transports_;
  }

  int transports() const {
    std::lock_guard lock(mutex_);
    return transports_;
  }

  std::string password_of(std::int64_t profile_id) const {
    std::lock_guard lock(mutex_);
    auto it = passwords_.find(profile_id);
    return it == passwords_.end() ? std::string("<none>") : it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<SendOutcome>> script_;
  std::vector<Attempt> attempts_;
  std::map<std::int64_t, std::string> passwords_;
  int transports_ = 0;
};

class FakeTransport final : public MailTransport {
 public:
  explicit FakeTransport(FakeMail& mail) : mail_(mail) {}
  SendOutcome send(std::string_view envelope_from, std::string_view recipient,
                   std::string_view message_id, std::string_view mime) override {
    return mail_.send(envelope_from, recipient, message_id, mime);
  }

 private:
  FakeMail& mail_;
};

SendOutcome temporary(std::string reply = "451 4.7.1 try again later") {
  return {SendOutcome::Status::kTemporary, 451, std::move(reply)};
}

SendOutcome permanent(std::string reply = "550 5.1.1 user unknown") {
  return {SendOutcome::Status::kPermanent, 550, std::move(reply)};
}

class DispatcherTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    write([&](Repositories& repos) {
      ws_ = repos.accounts.create_workspace("Acme", kStart).id;
      EmailTemplate t;
      t.name = "Payroll";
      t.subject = "Hi {{.FirstName}}";
      t.html = "<p>Dear {{.FirstName}}, <a href=\"{{.URL}}\">review</a></p>{{.Tracker}}";
      t.text = "Dear {{.FirstName}}, review {{.URL}}";
      t.from = "Payroll <payroll@corp.example>";
      auto created = repos.templates.create_template(ws_, t);
      ASSERT_TRUE(created.has_value()) << created.error().message;
      template_id_ = created->id;
    });
    profile_id_ = make_profile("Relay", 0);
    options_.workers = 2;
    options_.lease_seconds = 60;
    options_.retry.base_delay_seconds = 30;
    options_.retry.max_delay_seconds = 3600;
    options_.retry.max_attempts = 8;
    options_.idle_poll = 50ms;
    options_.default_base_url = "https://phish.example.com";
  }

  void TearDown() override {
    dispatcher_.reset();  // joins the workers before the store goes
    StoreFixture::TearDown();
  }

  std::int64_t make_profile(const std::string& name, int rate_per_minute) {
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      SendingProfile p;
      p.name = name;
      p.kind = TransportKind::kSmtp;
      p.host = "relay.example.com";
      p.port = 25;
      p.username = "mailer";
      p.from = "Fallback <fallback@corp.example>";
      p.rate_per_minute = rate_per_minute;
      p.created_at = p.updated_at = kStart;
      auto created = repos.profiles.create_profile(
          ws_, p, service::seal_relay_password(key_, "s3cret-" + name));
      ASSERT_TRUE(created.has_value()) << created.error().message;
      id = created->id;
    });
    return id;
  }

  // A draft campaign sending to `emails` through `profile_id`.
  std::int64_t make_campaign(const std::vector<std::string>& emails, std::int64_t profile_id,
                             std::int64_t send_by = 0) {
    const std::string name = "Campaign " + std::to_string(++campaigns_made_);
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      auto group = repos.groups.create_group(ws_, name, clock_.now());
      ASSERT_TRUE(group.has_value()) << group.error().message;
      std::vector<TargetFields> fields;
      for (const auto& email : emails) {
        TargetFields f;
        f.email = email;
        f.first_name = "Name-" + email.substr(0, email.find('@'));
        f.last_name = "Tester";
        fields.push_back(f);
      }
      const auto stats = repos.groups.upsert_targets(ws_, fields, clock_.now());
      repos.groups.add_members(group->id, stats.target_ids);
      Campaign c;
      c.name = name;
      c.templates = {{template_id_, 1}};
      c.group_ids = {group->id};
      c.profile_id = profile_id;
      c.seed = 1234;
      c.send_by = send_by;
      c.created_at = c.updated_at = clock_.now();
      auto created = repos.campaigns.create_campaign(ws_, c);
      ASSERT_TRUE(created.has_value()) << created.error().message;
      id = created->id;
    });
    return id;
  }

  // What the launch route does: snapshot the templates as variants, plan the
  // recipients and activate the campaign, in one transaction.
  void launch(std::int64_t campaign_id) {
    write([&](Repositories& repos) {
      auto c = repos.campaigns.find_campaign(ws_, campaign_id);
      ASSERT_TRUE(c.has_value());
      const auto now = clock_.now();
      if (c->launch_at < now) c->launch_at = now;
      const auto targets = repos.campaigns.targets_of_groups(ws_, c->group_ids);
      ASSERT_FALSE(targets.empty());
      auto profile = repos.profiles.find_profile(ws_, c->profile_id);
      ASSERT_TRUE(profile.has_value());
      std::vector<VariantChoice> variants;
      std::map<std::int64_t, std::string> sender_of;
      for (const auto& choice : c->templates) {
        auto content = repos.templates.find_template(ws_, choice.template_id);
        ASSERT_TRUE(content.has_value());
        const auto vid = repos.campaigns.insert_variant(
            c->id, CampaignVariant{0, choice.template_id, choice.weight, *content});
        variants.push_back({vid, choice.weight});
        sender_of[vid] = "payroll@corp.example";
      }
      SendPlanInput plan;
      plan.launch_at = c->launch_at;
      plan.send_by = c->send_by;
      plan.rate_per_minute = profile->rate_per_minute;
      plan.jitter_seconds = c->jitter_seconds;
      plan.window = c->window;
      plan.seed = c->seed;
      auto recipients = plan_recipients(
          targets, variants, plan,
          [&] { return "rid-" + std::to_string(campaign_id) + "-" + std::to_string(++rids_); },
          [&](std::int64_t variant_id) { return new_message_id(sender_of[variant_id]); });
      ASSERT_TRUE(recipients.has_value()) << recipients.error().message;
      repos.campaigns.insert_recipients(ws_, c->id, *recipients);
      c->status = CampaignStatus::kActive;
      c->launched_at = now;
      c->updated_at = now;
      EXPECT_TRUE(repos.campaigns.set_campaign_state(*c, CampaignStatus::kDraft));
    });
    if (dispatcher_) dispatcher_->wake();
  }

  void cancel(std::int64_t campaign_id) {
    write([&](Repositories& repos) {
      auto c = repos.campaigns.find_campaign(ws_, campaign_id);
      ASSERT_TRUE(c.has_value());
      repos.campaigns.cancel_unsent(c->id);
      c->status = CampaignStatus::kCancelled;
      c->completed_at = c->updated_at = clock_.now();
      EXPECT_TRUE(repos.campaigns.set_campaign_state(*c, CampaignStatus::kActive));
    });
  }

  void start() {
    dispatcher_ = make_dispatcher();
    dispatcher_->start();
  }

  // Another node's dispatcher on the same store and relay.
  std::unique_ptr<Dispatcher> make_dispatcher() {
    return std::make_unique<Dispatcher>(
        *store_, clock_, tokens_, key_, options_,
        [this](const SendingProfile& profile,
               const std::string& password) -> std::unique_ptr<MailTransport> {
          mail_.note_transport(profile, password);
          return std::make_unique<FakeTransport>(mail_);
        });
  }

  std::vector<Recipient> recipients(std::int64_t campaign_id) {
    std::vector<Recipient> out;
    read([&](Repositories& repos) {
      out =
          repos.results.list_recipients(campaign_id, RecipientFilter{}, PageRequest{0, 1000}).items;
    });
    return out;
  }

  Recipient recipient_by_email(std::int64_t campaign_id, const std::string& email) {
    for (auto& r : recipients(campaign_id)) {
      if (r.fields.email == email) return r;
    }
    ADD_FAILURE() << "no recipient " << email;
    return {};
  }

  RecipientCounts counts(std::int64_t campaign_id) {
    RecipientCounts c;
    read([&](Repositories& repos) { c = repos.results.count_recipients(campaign_id); });
    return c;
  }

  // Events of the campaign, or of one recipient when recipient_id is set.
  std::vector<EventRecord> events(std::int64_t campaign_id, std::int64_t recipient_id = 0) {
    std::vector<EventRecord> out;
    read([&](Repositories& repos) {
      out = repos.events.list_events(campaign_id, recipient_id, PageRequest{0, 1000}).items;
    });
    return out;
  }

  static std::vector<std::string> kinds(const std::vector<EventRecord>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.kind);
    return out;
  }

  // Polls `done` every 10 ms for at most `limit`.
  static bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return done();
  }

  // Proof that the workers have claimed since the last clock change: a fresh
  // one-person campaign on an unlimited profile, due now, has been sent.
  void barrier() {
    if (barrier_profile_ == 0) barrier_profile_ = make_profile("Barrier", 0);
    const std::string email = "barrier" + std::to_string(++barriers_) + "@example.com";
    const auto id = make_campaign({email}, barrier_profile_);
    launch(id);
    ASSERT_TRUE(eventually([&] { return counts(id).sent == 1; })) << "barrier not sent";
  }

  static std::vector<std::string> emails(int n, const std::string& prefix = "user") {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i) + "@example.com");
    return out;
  }

  FakeClock clock_{kStart};
  FakeTokens tokens_;
  FakeMail mail_;
  DispatcherOptions options_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::int64_t ws_ = 0;
  std::int64_t template_id_ = 0;
  std::int64_t profile_id_ = 0;
  std::int64_t barrier_profile_ = 0;
  int campaigns_made_ = 0;
  int barriers_ = 0;
  int rids_ = 0;
};

TEST_F(DispatcherTest, SendsEveryRecipientOnceWithDistinctMessageIds) {
  const auto to = emails(12);
  const auto id = make_campaign(to, profile_id_);
  start();
  launch(id);  // wakes the dispatcher
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 12; }))
      << "sent " << counts(id).sent << " of 12";

  const auto stored = recipients(id);
  ASSERT_EQ(stored.size(), 12u);
  const auto attempts = mail_.attempts();
  ASSERT_EQ(attempts.size(), 12u);
  std::set<std::string> addressed, message_ids;
  for (const auto& a : attempts) {
    addressed.insert(a.recipient);
    message_ids.insert(a.message_id);
    // Envelope sender is the template's From; the MIME carries the Message-ID.
    EXPECT_EQ(a.envelope_from, "payroll@corp.example");
    EXPECT_NE(a.mime.find("Message-ID: <" + a.message_id + ">"), std::string::npos);
  }
  EXPECT_EQ(addressed, std::set<std::string>(to.begin(), to.end()));
  EXPECT_EQ(message_ids.size(), 12u);

  for (const auto& r : stored) {
    EXPECT_EQ(r.state, SendState::kSent);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.sent_at, kStart);
    const auto mine = mail_.attempts_to(r.fields.email);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].message_id, r.message_id);  // the one fixed at launch
    const auto ev = events(id, r.id);
    ASSERT_EQ(kinds(ev), std::vector<std::string>{"sent"});
    EXPECT_EQ(ev[0].at, kStart);
  }
  // The transport got the profile's opened password.
  EXPECT_EQ(mail_.password_of(profile_id_), "s3cret-Relay");
  // One transport per worker at most: connections are reused.
  EXPECT_LE(mail_.transports(), options_.workers);
}

TEST_F(DispatcherTest, FutureSendTimesWaitForTheClock) {
  // Spread over three (fake) seconds: one send due at each of kStart, +1, +2.
  const auto id = make_campaign(emails(3), profile_id_, kStart + 3);
  start();
  launch(id);
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 1; }));
  barrier();
  EXPECT_EQ(counts(id).sent, 1);
  EXPECT_EQ(counts(id).queued, 2);
  clock_.advance(1);
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 2; }));
  clock_.advance(1);
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 3; }));
  std::set<std::int64_t> sent_at;
  for (const auto& r : recipients(id)) sent_at.insert(r.sent_at);
  EXPECT_EQ(sent_at, (std::set<std::int64_t>{kStart, kStart + 1, kStart + 2}));
}

TEST_F(DispatcherTest, TemporaryFailureIsRetriedAfterBackoff) {
  const auto to = emails(3);
  mail_.script(to[0], {temporary("451 4.7.1 greylisted")});
  const auto id = make_campaign(to, profile_id_);
  start();
  launch(id);
  ASSERT_TRUE(eventually([&] {
    const auto c = counts(id);
    return c.sent == 2 && c.queued == 1;
  }));

  auto r = recipient_by_email(id, to[0]);
  EXPECT_EQ(r.state, SendState::kQueued);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.send_at, kStart + 30);  // now + retry base
  EXPECT_EQ(r.last_error, "451 4.7.1 greylisted");
  EXPECT_EQ(r.smtp_code, 451);
  auto ev = events(id, r.id);
  ASSERT_EQ(kinds(ev), std::vector<std::string>{"send_deferred"});
  EXPECT_NE(ev[0].details_json.find("451"), std::string::npos) << ev[0].details_json;
  EXPECT_NE(ev[0].details_json.find("greylisted"), std::string::npos) << ev[0].details_json;

  // Not before the backoff has passed.
  clock_.advance(29);
  dispatcher_->wake();
  barrier();
  EXPECT_EQ(recipient_by_email(id, to[0]).state, SendState::kQueued);

  clock_.advance(1);
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 3; }));
  r = recipient_by_email(id, to[0]);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.sent_at, kStart + 30);
  EXPECT_EQ(r.last_error, "");
  EXPECT_EQ(kinds(events(id, r.id)), (std::vector<std::string>{"send_deferred", "sent"}));
  const auto tries = mail_.attempts_to(to[0]);
  ASSERT_EQ(tries.size(), 2u);
  EXPECT_EQ(tries[0].message_id, r.message_id);
  EXPECT_EQ(tries[1].message_id, r.message_id);
}

TEST_F(DispatcherTest, BackoffDoublesPerAttempt) {
  const auto to = emails(1);
  mail_.script(to[0], {temporary(), temporary()});
  const auto id = make_campaign(to, profile_id_);
  start();
  launch(id);
  ASSERT_TRUE(eventually([&] {
    return recipient_by_email(id, to[0]).attempts == 1 &&
           recipient_by_email(id, to[0]).state == SendState::kQueued;
  }));
  EXPECT_EQ(recipient_by_email(id, to[0]).send_at, kStart + 30);
  clock_.advance(30);
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] {
    return recipient_by_email(id, to[0]).attempts == 2 &&
           recipient_by_email(id, to[0]).state == SendState::kQueued;
  }));
  EXPECT_EQ(recipient_by_email(id, to[0]).send_at, kStart + 30 + 60);
  clock_.advance(60);
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 1; }));
  EXPECT_EQ(recipient_by_email(id, to[0]).attempts, 3);
}

TEST_F(DispatcherTest, PermanentFailureMarksFailed) {
  const auto to = emails(3);
  mail_.script(to[1], {permanent("550 5.1.1 <user1@example.com>: user unknown")});
  const auto id = make_campaign(to, profile_id_);
  start();
  launch(id);
  ASSERT_TRUE(eventually([&] {
    const auto c = counts(id);
    return c.sent == 2 && c.failed == 1;
  }));
  const auto r = recipient_by_email(id, to[1]);
  EXPECT_EQ(r.state, SendState::kFailed);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.smtp_code, 550);
  EXPECT_EQ(r.last_error, "550 5.1.1 <user1@example.com>: user unknown");
  const auto ev = events(id, r.id);
  ASSERT_EQ(kinds(ev), std::vector<std::string>{"send_failed"});
  EXPECT_NE(ev[0].details_json.find("550"), std::string::npos) << ev[0].details_json;
  EXPECT_NE(ev[0].details_json.find("user unknown"), std::string::npos);

  // Never retried, even much later.
  clock_.advance(86400);
  dispatcher_->wake();
  barrier();
  EXPECT_EQ(mail_.attempts_to(to[1]).size(), 1u);
  EXPECT_EQ(recipient_by_email(id, to[1]).state, SendState::kFailed);
}

TEST_F(DispatcherTest, MaxAttemptsExhaustedMarksFailed) {
  options_.retry.max_attempts = 2;
  options_.retry.base_delay_seconds = 10;
  const auto to = emails(1);
  mail_.script(to[0], {temporary("421 4.3.2 busy"), temporary("452 4.2.2 mailbox full"),
                       temporary("never used")});
  const auto id = make_campaign(to, profile_id_);
  start();
  launch(id);
  ASSERT_TRUE(eventually([&] {
    return recipient_by_email(id, to[0]).attempts == 1 &&
           recipient_by_email(id, to[0]).state == SendState::kQueued;
  }));
  clock_.advance(10);
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).failed == 1; }));
  const auto r = recipient_by_email(id, to[0]);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.last_error, "452 4.2.2 mailbox full");
  EXPECT_EQ(r.smtp_code, 451);  // as scripted by temporary()
  EXPECT_EQ(kinds(events(id, r.id)), (std::vector<std::string>{"send_deferred", "send_failed"}));
  clock_.advance(86400);
  dispatcher_->wake();
  barrier();
  EXPECT_EQ(mail_.attempts_to(to[0]).size(), 2u);
}

TEST_F(DispatcherTest, ExpiredLeaseIsResentWithSameMessageId) {
  const auto to = emails(1);
  const auto id = make_campaign(to, profile_id_);
  launch(id);
  // A previous process claimed the recipient and died mid-send.
  std::string message_id;
  write([&](Repositories& repos) {
    auto claimed = repos.send_queue.claim_due(clock_.now(), clock_.now() + 60, 10);
    ASSERT_EQ(claimed.size(), 1u);
    message_id = claimed[0].message_id;
  });
  ASSERT_FALSE(message_id.empty());
  EXPECT_EQ(recipient_by_email(id, to[0]).state, SendState::kSending);

  start();
  // While the lease holds, nobody else sends it.
  dispatcher_->wake();
  barrier();
  EXPECT_EQ(recipient_by_email(id, to[0]).state, SendState::kSending);
  EXPECT_TRUE(mail_.attempts_to(to[0]).empty());

  clock_.advance(61);
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 1; }));
  const auto r = recipient_by_email(id, to[0]);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.message_id, message_id);
  const auto tries = mail_.attempts_to(to[0]);
  ASSERT_EQ(tries.size(), 1u);
  EXPECT_EQ(tries[0].message_id, message_id);
  EXPECT_NE(tries[0].mime.find("Message-ID: <" + message_id + ">"), std::string::npos);
}

TEST_F(DispatcherTest, CancelledCampaignSendsNothingMore) {
  // 60/min plans one send per (fake) second: only the first is due at launch.
  const auto paced = make_profile("Paced", 60);
  const auto to = emails(5);
  const auto id = make_campaign(to, paced);
  start();
  launch(id);
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 1; }));

  cancel(id);
  clock_.advance(3600);
  dispatcher_->wake();
  barrier();
  const auto c = counts(id);
  EXPECT_EQ(c.sent, 1);
  EXPECT_EQ(c.cancelled, 4);
  EXPECT_EQ(c.queued, 0);
  int sent_to_campaign = 0;
  for (const auto& a : mail_.attempts()) {
    if (a.recipient.starts_with("user")) ++sent_to_campaign;
  }
  EXPECT_EQ(sent_to_campaign, 1);
}

TEST_F(DispatcherTest, CancelWhileWaitingForTheRateLimitSendsNothingMore) {
  // 30/min: one message, then the next waits two (real) seconds for a token.
  const auto slow = make_profile("Slow", 30);
  const auto to = emails(3);
  const auto id = make_campaign(to, slow);
  launch(id);
  clock_.advance(60);  // all due
  start();
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] {
    const auto c = counts(id);
    return c.sent == 1 && c.sending >= 1;
  }));
  cancel(id);  // the claimed ones are checked again before sending
  ASSERT_TRUE(eventually([&] { return counts(id).cancelled == 2; }, 15s))
      << "sent " << counts(id).sent << " sending " << counts(id).sending;
  EXPECT_EQ(counts(id).sent, 1);
  EXPECT_EQ(mail_.attempts().size(), 1u);
}

TEST_F(DispatcherTest, StopWhileWaitingForTheRateLimitReleasesTheClaim) {
  // 6/min: the second message would wait ten (real) seconds.
  const auto slow = make_profile("Slow", 6);
  const auto to = emails(2);
  const auto id = make_campaign(to, slow);
  launch(id);
  clock_.advance(600);  // both due
  start();
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] {
    const auto c = counts(id);
    return c.sent == 1 && c.sending == 1;
  }));
  const auto stopping = std::chrono::steady_clock::now();
  dispatcher_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, 3s);  // not the full 10 s wait
  const auto c = counts(id);
  EXPECT_EQ(c.sent, 1);
  EXPECT_EQ(c.queued, 1);  // back in the queue, due now
  for (const auto& r : recipients(id)) {
    if (r.state == SendState::kQueued) {
      EXPECT_LE(r.send_at, clock_.now());
    }
  }
  // A new dispatcher (a restart, or another node) keeps to the profile's rate,
  // which the store holds: it sends once the next slot frees, ten seconds
  // after the first message.
  start();
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 2; }, 15s));
  EXPECT_EQ(mail_.attempts().size(), 2u);
}

TEST_F(DispatcherTest, MissingProfileFailsTheRecipient) {
  const auto doomed = make_profile("Doomed", 0);
  const auto to = emails(1);
  const auto id = make_campaign(to, doomed);
  launch(id);
  write([&](Repositories& repos) { ASSERT_TRUE(repos.profiles.delete_profile(ws_, doomed)); });
  start();
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).failed == 1; }));
  const auto r = recipient_by_email(id, to[0]);
  EXPECT_NE(r.last_error.find("no longer exists"), std::string::npos) << r.last_error;
  EXPECT_TRUE(mail_.attempts_to(to[0]).empty());
  EXPECT_EQ(kinds(events(id, r.id)), std::vector<std::string>{"send_failed"});
}

TEST_F(DispatcherTest, ProfileRateLimitIsRespected) {
  // 120/min = 2 per second with a burst of 2: six messages take at least 2 s.
  const auto limited = make_profile("Limited", 120);
  const auto to = emails(6);
  const auto id = make_campaign(to, limited);
  launch(id);
  clock_.advance(60);  // every planned (fake) send time is due
  const auto began = std::chrono::steady_clock::now();
  start();
  dispatcher_->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 6; }, 15s));
  const auto attempts = mail_.attempts();
  ASSERT_EQ(attempts.size(), 6u);
  auto first = attempts.front().at, last = attempts.front().at;
  for (const auto& a : attempts) {
    first = std::min(first, a.at);
    last = std::max(last, a.at);
  }
  EXPECT_GE(last - began, 2s);
  EXPECT_GE(last - first, 1500ms);
  EXPECT_LT(last - began, 10s);
}

TEST_F(DispatcherTest, SeveralNodesKeepToOneProfileRateTogether) {
  // 120/min = 2 per second with a burst of 2, shared by three nodes: eight
  // messages take at least 3 s, however many nodes send them.
  const auto limited = make_profile("Limited", 120);
  const auto to = emails(8);
  const auto id = make_campaign(to, limited);
  launch(id);
  clock_.advance(60);
  const auto began = std::chrono::steady_clock::now();
  start();
  auto second = make_dispatcher();
  auto third = make_dispatcher();
  second->start();
  third->start();
  dispatcher_->wake();
  second->wake();
  third->wake();
  ASSERT_TRUE(eventually([&] { return counts(id).sent == 8; }, 15s));
  second->stop();
  third->stop();
  const auto attempts = mail_.attempts();
  ASSERT_EQ(attempts.size(), 8u);
  auto last = attempts.front().at;
  for (const auto& a : attempts) last = std::max(last, a.at);
  EXPECT_GE(last - began, 3s);
}

}  // namespace
}  // namespace phishdrill::jobs
