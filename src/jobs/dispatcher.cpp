#include "jobs/dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <optional>

#include "core/log_text.h"
#include "crypto/sodium.h"
#include "jobs/training_mail.h"
#include "mail/mime_composer.h"
#include "store/event_payload.h"

namespace phishdrill::jobs {

// One sending thread's state: its transports (one open connection per
// profile), its message builder and its cached profiles.
class Dispatcher::Worker {
 public:
  explicit Worker(Dispatcher& owner) : d_(owner), builder_(owner.options_.links) {}

  // Claims and sends one due message; false when nothing was due. Campaign
  // mail goes first, but every few turns a training email does, so a long
  // campaign backlog cannot hold back a notice or reminder for hours.
  bool send_one() {
    if (++turn_ % kTrainingTurn == 0 && send_training_one()) return true;
    auto claimed = claim();
    if (!claimed) return send_training_one();
    process(*claimed);
    return true;
  }

 private:
  struct Job {
    Recipient recipient;
    DispatchInfo campaign;
    const CampaignVariant* variant = nullptr;  // owned by variants_
    SendingProfile profile;
    std::string password;
    bool profile_missing = false;
  };

  struct CachedProfile {
    std::optional<SendingProfile> profile;
    std::string password;
    std::chrono::steady_clock::time_point loaded;
  };

  // Variants never change after launch; profiles may, so they are re-read
  // every few seconds.
  static constexpr auto kProfileFreshness = std::chrono::seconds(5);

  std::optional<Job> claim() {
    std::optional<Job> job;
    const auto now = d_.clock_.now();
    auto result = d_.store_.write([&](Repositories& repos) -> Result<void> {
      auto claimed = repos.send_queue.claim_due(now, now + d_.options_.lease_seconds, 1);
      if (claimed.empty()) return {};
      Job j;
      j.recipient = std::move(claimed.front());
      auto info = repos.send_queue.dispatch_info(j.recipient.campaign_id);
      if (!info) return fail(ErrorCode::kInternal, "claimed recipient has no campaign");
      j.campaign = std::move(*info);
      j.variant = variant(repos, j.recipient.variant_id);
      if (j.variant == nullptr)
        return fail(ErrorCode::kInternal, "claimed recipient has no variant");
      const CachedProfile& cached = profile(repos, j.campaign.workspace_id, j.campaign.profile_id);
      j.profile_missing = !cached.profile;
      if (cached.profile) j.profile = *cached.profile;
      j.password = cached.password;
      job = std::move(j);
      return {};
    });
    if (!result) {
      spdlog::error("event=dispatch_claim_failed message={}", log_value(result.error().message));
      return std::nullopt;
    }
    return job;
  }

  const CampaignVariant* variant(Repositories& repos, std::int64_t id) {
    if (auto it = variants_.find(id); it != variants_.end()) return &it->second;
    auto loaded = repos.campaigns.find_variant(id);
    if (!loaded) return nullptr;
    if (variants_.size() > 64) variants_.clear();
    return &variants_.emplace(id, std::move(*loaded)).first->second;
  }

  const CachedProfile& profile(Repositories& repos, std::int64_t workspace_id, std::int64_t id) {
    const auto now = std::chrono::steady_clock::now();
    auto& cached = profiles_[id];
    if (cached.loaded.time_since_epoch().count() == 0 || now - cached.loaded > kProfileFreshness) {
      cached.profile = repos.templates.find_profile(workspace_id, id);
      cached.password =
          cached.profile
              ? repos.templates.find_profile_secret(workspace_id, id).value_or(std::string())
              : std::string();
      cached.loaded = now;
    }
    return cached;
  }

  MailTransport& transport_for(const SendingProfile& profile, const std::string& password) {
    auto& slot = transports_[profile.id];
    if (!slot.transport || slot.updated_at != profile.updated_at) {
      slot.transport = d_.transports_(profile, password);
      slot.updated_at = profile.updated_at;
    }
    return *slot.transport;
  }

  // Waits for the profile's rate limit, renewing the lease while it waits.
  // Returns false when the dispatcher stops.
  bool wait_for_rate(const SendingProfile& profile, const std::function<void()>& renew) {
    auto last_renewal = std::chrono::steady_clock::now();
    const auto renew_every = std::chrono::seconds(std::max(1, d_.options_.lease_seconds / 3));
    for (;;) {
      const auto now = std::chrono::steady_clock::now();
      const auto wait = d_.limiter_.try_acquire(profile.id, profile.rate_per_minute, now);
      if (wait == RateLimiter::Clock::duration::zero()) return true;
      if (now - last_renewal >= renew_every) {
        renew();
        last_renewal = now;
      }
      const auto nap = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(wait) +
                                    std::chrono::milliseconds(1),
                                std::chrono::milliseconds(500));
      std::this_thread::sleep_for(nap);
      if (d_.stopping_) return false;
    }
  }

  void renew_lease(std::int64_t recipient_id) {
    const auto until = d_.clock_.now() + d_.options_.lease_seconds;
    (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
      repos.send_queue.renew_lease(recipient_id, until);
      return {};
    });
  }

  bool still_active(std::int64_t campaign_id) {
    bool active = false;
    (void)d_.store_.read([&](Repositories& repos) -> Result<void> {
      auto info = repos.send_queue.dispatch_info(campaign_id);
      active = info && info->status == CampaignStatus::kActive;
      return {};
    });
    return active;
  }

  void process(Job& job) {
    if (job.profile_missing) {
      record(job, SendOutcome{SendOutcome::Status::kPermanent, 0,
                              "the campaign's sending profile no longer exists"});
      return;
    }
    const std::string& base =
        job.campaign.base_url.empty() ? d_.options_.default_base_url : job.campaign.base_url;
    auto message = builder_.build(job.recipient, *job.variant, job.profile, base);
    if (!message) {
      record(job,
             {SendOutcome::Status::kPermanent, 0, "rendering failed: " + message.error().message});
      return;
    }
    message->date = d_.clock_.now();
    auto mime = compose_mime(*message);
    if (!mime) {
      record(job,
             {SendOutcome::Status::kPermanent, 0, "composing failed: " + mime.error().message});
      return;
    }
    if (!wait_for_rate(job.profile, [&] { renew_lease(job.recipient.id); })) {
      release(job);
      return;
    }
    if (!still_active(job.recipient.campaign_id)) {
      cancel(job);
      return;
    }
    // A fresh lease covers the whole SMTP exchange (bounded by the transport's
    // timeout), so no other worker takes this message over while it is sent.
    renew_lease(job.recipient.id);
    const auto outcome =
        transport_for(job.profile, job.password)
            .send(message->from_address, message->to_address, message->message_id, *mime);
    record(job, outcome);
  }

  void release(const Job& job) {
    // Stopping: put it back as it was, so another start sends it promptly.
    (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
      repos.send_queue.release_claim(job.recipient.id);
      return {};
    });
  }

  void cancel(const Job& job) {
    (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
      repos.send_queue.mark_cancelled(job.recipient.id);
      return {};
    });
  }

  void record(const Job& job, const SendOutcome& outcome) {
    const auto now = d_.clock_.now();
    EventRecord event;
    event.workspace_id = job.campaign.workspace_id;
    event.campaign_id = job.recipient.campaign_id;
    event.recipient_id = job.recipient.id;
    event.at = now;
    auto result = d_.store_.write([&](Repositories& repos) -> Result<void> {
      switch (outcome.status) {
        case SendOutcome::Status::kSent:
          repos.send_queue.mark_sent(job.recipient.id, now);
          event.kind = "sent";
          event.details_json = fmt::format(R"({{"attempt":{}}})", job.recipient.attempts);
          break;
        case SendOutcome::Status::kTemporary:
          if (auto delay = d_.options_.retry.delay_after(job.recipient.attempts)) {
            repos.send_queue.mark_retry(job.recipient.id, now + *delay, outcome.reply,
                                        outcome.smtp_code);
            event.kind = "send_deferred";
          } else {
            repos.send_queue.mark_failed(job.recipient.id, outcome.reply, outcome.smtp_code);
            event.kind = "send_failed";
          }
          break;
        case SendOutcome::Status::kPermanent:
          repos.send_queue.mark_failed(job.recipient.id, outcome.reply, outcome.smtp_code);
          event.kind = "send_failed";
          break;
      }
      if (event.kind != "sent") {
        event.details_json =
            boost::json::serialize(boost::json::object{{"attempt", job.recipient.attempts},
                                                       {"smtp_code", outcome.smtp_code},
                                                       {"reply", outcome.reply}});
      }
      repos.events.append_event(event);
      if (event.kind != "send_deferred") {
        repos.webhooks.enqueue(event.workspace_id, event.kind,
                               event_payload(event, job.recipient.fields.email), now);
      }
      return {};
    });
    if (!result) {
      spdlog::error("event=dispatch_record_failed recipient={} message={}", job.recipient.id,
                    log_value(result.error().message));
    }
    if (event.kind != "sent") {
      spdlog::warn("event={} campaign={} recipient={} smtp_code={}", event.kind,
                   job.recipient.campaign_id, job.recipient.id, outcome.smtp_code);
    }
  }

  // ---- Training emails ----

  struct TrainingJob {
    TrainingMailJob mail;
    std::optional<SendingProfile> profile;
    std::string password;
    int link_valid_days = 30;
    bool inform_manager = false;  // an overdue reminder with a manager to tell
  };

  std::optional<TrainingJob> claim_training() {
    if (!d_.options_.training.catalogue) return std::nullopt;
    std::optional<TrainingJob> job;
    const auto now = d_.clock_.now();
    auto result = d_.store_.write([&](Repositories& repos) -> Result<void> {
      auto claimed =
          repos.training_mail.claim_training_mail(now, now + d_.options_.lease_seconds, 1);
      if (claimed.empty()) return {};
      TrainingJob j;
      j.mail = std::move(claimed.front());
      const auto& a = j.mail.assignment;
      const auto settings = repos.training.settings(j.mail.workspace_id);
      const CachedProfile& cached = profile(repos, j.mail.workspace_id, a.profile_id);
      j.profile = cached.profile;
      j.password = cached.password;
      j.link_valid_days = settings.link_valid_days;
      j.inform_manager = settings.cc_manager_when_overdue && j.mail.kind == "overdue" &&
                         !a.target.manager_email.empty();
      job = std::move(j);
      return {};
    });
    if (!result) {
      spdlog::error("event=training_mail_claim_failed message={}",
                    log_value(result.error().message));
      return std::nullopt;
    }
    return job;
  }

  bool send_training_one() {
    auto job = claim_training();
    if (!job) return false;
    process_training(*job);
    return true;
  }

  // Renews the email's lease and, when it is still to be sent (its assignment
  // was not completed or cancelled meanwhile), issues the person a fresh
  // personal link (the newest always works for its full lifetime). Returns the
  // link, or nothing when the email is no longer wanted.
  std::optional<std::pair<std::string, std::int64_t>> issue_link(const TrainingJob& job) {
    const auto& a = job.mail.assignment;
    const auto now = d_.clock_.now();
    const std::string token = crypto::random_token(32);
    const std::int64_t expires = now + static_cast<std::int64_t>(job.link_valid_days) * 86400;
    bool wanted = false;
    (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
      wanted = repos.training_mail.renew_training_mail_lease(job.mail.id,
                                                             now + d_.options_.lease_seconds);
      if (wanted) {
        repos.portal.create_portal_link(job.mail.workspace_id, a.target.id,
                                        crypto::hash_token(token), now, expires);
      }
      return {};
    });
    if (!wanted) return std::nullopt;
    const std::string& base =
        a.portal_base_url.empty() ? d_.options_.default_base_url : a.portal_base_url;
    return std::pair{base + d_.options_.training.portal_path + "/" + token, expires};
  }

  void process_training(const TrainingJob& job) {
    const auto& a = job.mail.assignment;
    const auto module = d_.options_.training.catalogue->find(job.mail.workspace_id, a.module_slug);
    if (!job.profile) {
      record_training(
          job, {SendOutcome::Status::kPermanent, 0, "the sending profile no longer exists"}, "");
      return;
    }
    if (!module) {
      record_training(
          job,
          {SendOutcome::Status::kPermanent, 0, "the training module is no longer in the catalogue"},
          "");
      return;
    }
    const auto renew = [&] { (void)renew_training_lease(job); };
    if (!wait_for_rate(*job.profile, renew)) {
      (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
        repos.training_mail.release_training_mail(job.mail.id);
        return {};
      });
      return;
    }
    const auto link = issue_link(job);
    if (!link) return;  // completed or cancelled while it waited: nothing to send
    TrainingMailInput input{job.mail.kind,     a,           module->title,
                            module->minutes,   link->first, link->second,
                            job.inform_manager};
    auto message = build_training_mail(input, *job.profile);
    if (!message) {
      record_training(job, {SendOutcome::Status::kPermanent, 0, message.error().message}, "");
      return;
    }
    auto mime = compose_new(*message);
    if (!mime) {
      record_training(job, {SendOutcome::Status::kPermanent, 0, mime.error().message}, "");
      return;
    }
    auto& transport = transport_for(*job.profile, job.password);
    const auto outcome =
        transport.send(message->from_address, message->to_address, message->message_id, *mime);
    if (outcome.status == SendOutcome::Status::kSent && job.inform_manager) {
      notify_manager(job, input, renew);
    }
    record_training(job, outcome, message->message_id);
  }

  bool renew_training_lease(const TrainingJob& job) {
    bool renewed = false;
    (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
      renewed = repos.training_mail.renew_training_mail_lease(
          job.mail.id, d_.clock_.now() + d_.options_.lease_seconds);
      return {};
    });
    return renewed;
  }

  // Gives a new message its Message-ID and date and composes its MIME.
  Result<std::string> compose_new(OutgoingMessage& message) {
    message.message_id = new_message_id(message.from_address);
    message.date = d_.clock_.now();
    return compose_mime(message);
  }

  // Best effort: the person's reminder decides the email's outcome.
  void notify_manager(const TrainingJob& job, const TrainingMailInput& input,
                      const std::function<void()>& renew) {
    auto notice = build_manager_notice(input, *job.profile);
    if (!notice || !wait_for_rate(*job.profile, renew)) return;
    auto mime = compose_new(*notice);
    if (!mime) return;
    const auto sent =
        transport_for(*job.profile, job.password)
            .send(notice->from_address, notice->to_address, notice->message_id, *mime);
    if (sent.status != SendOutcome::Status::kSent) {
      spdlog::warn("event=training_manager_notice_failed assignment={} smtp_code={}",
                   job.mail.assignment.id, sent.smtp_code);
    }
  }

  void record_training(const TrainingJob& job, const SendOutcome& outcome,
                       const std::string& message_id) {
    const auto now = d_.clock_.now();
    std::string state = "sent";
    auto result = d_.store_.write([&](Repositories& repos) -> Result<void> {
      switch (outcome.status) {
        case SendOutcome::Status::kSent:
          repos.training_mail.mark_training_mail_sent(job.mail.id, message_id, now);
          break;
        case SendOutcome::Status::kTemporary:
          if (auto delay = d_.options_.retry.delay_after(job.mail.attempts)) {
            repos.training_mail.mark_training_mail_retry(job.mail.id, now + *delay, outcome.reply);
            state = "deferred";
            break;
          }
          [[fallthrough]];
        case SendOutcome::Status::kPermanent:
          repos.training_mail.mark_training_mail_failed(job.mail.id, outcome.reply);
          state = "failed";
          break;
      }
      return {};
    });
    if (!result) {
      spdlog::error("event=training_mail_record_failed mail={} message={}", job.mail.id,
                    log_value(result.error().message));
    }
    spdlog::info("event=training_mail_{} kind={} assignment={} smtp_code={}", state, job.mail.kind,
                 job.mail.assignment.id, outcome.smtp_code);
  }

  struct TransportSlot {
    std::unique_ptr<MailTransport> transport;
    std::int64_t updated_at = 0;
  };
  Dispatcher& d_;
  MessageBuilder builder_;
  std::map<std::int64_t, TransportSlot> transports_;
  std::map<std::int64_t, CampaignVariant> variants_;
  std::map<std::int64_t, CachedProfile> profiles_;
  static constexpr unsigned kTrainingTurn = 8;
  unsigned turn_ = 0;
};

Dispatcher::Dispatcher(Store& store, const Clock& clock, DispatcherOptions options,
                       TransportFactory transports)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      transports_(std::move(transports)) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() {
  stopping_ = false;
  for (int i = 0; i < options_.workers; ++i) {
    threads_.emplace_back([this, i] { run_worker(i); });
  }
}

void Dispatcher::stop() {
  stopping_ = true;
  wake();
  threads_.clear();  // joins
}

void Dispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_generation_;
  }
  wakeup_.notify_all();
}

bool Dispatcher::sleep_for(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  const auto generation = wake_generation_;
  wakeup_.wait_for(lock, duration,
                   [&] { return stopping_.load() || wake_generation_ != generation; });
  return !stopping_;
}

void Dispatcher::run_worker(int index) {
  spdlog::debug("event=dispatcher_worker_started index={}", index);
  Worker worker(*this);
  while (!stopping_) {
    if (worker.send_one()) continue;
    if (!sleep_for(options_.idle_poll)) break;
  }
}

}  // namespace phishdrill::jobs
