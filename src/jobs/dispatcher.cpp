#include "jobs/dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <map>
#include <optional>

#include "mail/mime_composer.h"
#include "store/event_payload.h"

namespace phishdrill::jobs {

// One sending thread's state: its transports (one open connection per
// profile), its message builder and its cached profiles.
class Dispatcher::Worker {
 public:
  explicit Worker(Dispatcher& owner) : d_(owner), builder_(owner.options_.links) {}

  // Claims and sends one due message; false when nothing was due.
  bool send_one() {
    auto claimed = claim();
    if (!claimed) return false;
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
      auto claimed = repos.campaigns.claim_due(now, now + d_.options_.lease_seconds, 1);
      if (claimed.empty()) return {};
      Job j;
      j.recipient = std::move(claimed.front());
      auto info = repos.campaigns.dispatch_info(j.recipient.campaign_id);
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
      spdlog::error("event=dispatch_claim_failed message={}", result.error().message);
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

  MailTransport& transport_for(const Job& job) {
    auto& slot = transports_[job.profile.id];
    if (!slot.transport || slot.updated_at != job.profile.updated_at) {
      slot.transport = d_.transports_(job.profile, job.password);
      slot.updated_at = job.profile.updated_at;
    }
    return *slot.transport;
  }

  // Waits for the profile's rate limit, renewing the lease while it waits.
  // Returns false when the dispatcher stops.
  bool wait_for_rate(const Job& job) {
    auto last_renewal = std::chrono::steady_clock::now();
    const auto renew_every = std::chrono::seconds(std::max(1, d_.options_.lease_seconds / 3));
    for (;;) {
      const auto now = std::chrono::steady_clock::now();
      const auto wait = d_.limiter_.try_acquire(job.profile.id, job.profile.rate_per_minute, now);
      if (wait == RateLimiter::Clock::duration::zero()) return true;
      if (now - last_renewal >= renew_every) {
        renew_lease(job.recipient.id);
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
      repos.campaigns.renew_lease(recipient_id, until);
      return {};
    });
  }

  bool still_active(std::int64_t campaign_id) {
    bool active = false;
    (void)d_.store_.read([&](Repositories& repos) -> Result<void> {
      auto info = repos.campaigns.dispatch_info(campaign_id);
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
    if (!wait_for_rate(job)) {
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
    const auto outcome = transport_for(job).send(message->from_address, message->to_address,
                                                 message->message_id, *mime);
    record(job, outcome);
  }

  void release(const Job& job) {
    // Stopping: put it back as it was, so another start sends it promptly.
    (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
      repos.campaigns.release_claim(job.recipient.id);
      return {};
    });
  }

  void cancel(const Job& job) {
    (void)d_.store_.write([&](Repositories& repos) -> Result<void> {
      repos.campaigns.mark_cancelled(job.recipient.id);
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
          repos.campaigns.mark_sent(job.recipient.id, now);
          event.kind = "sent";
          event.details_json = fmt::format(R"({{"attempt":{}}})", job.recipient.attempts);
          break;
        case SendOutcome::Status::kTemporary:
          if (auto delay = d_.options_.retry.delay_after(job.recipient.attempts)) {
            repos.campaigns.mark_retry(job.recipient.id, now + *delay, outcome.reply,
                                       outcome.smtp_code);
            event.kind = "send_deferred";
          } else {
            repos.campaigns.mark_failed(job.recipient.id, outcome.reply, outcome.smtp_code);
            event.kind = "send_failed";
          }
          break;
        case SendOutcome::Status::kPermanent:
          repos.campaigns.mark_failed(job.recipient.id, outcome.reply, outcome.smtp_code);
          event.kind = "send_failed";
          break;
      }
      if (event.kind != "sent") {
        event.details_json =
            boost::json::serialize(boost::json::object{{"attempt", job.recipient.attempts},
                                                       {"smtp_code", outcome.smtp_code},
                                                       {"reply", outcome.reply}});
      }
      repos.campaigns.append_event(event);
      if (event.kind != "send_deferred") {
        repos.webhooks.enqueue(event.workspace_id, event.kind,
                               event_payload(event, job.recipient.fields.email), now);
      }
      return {};
    });
    if (!result) {
      spdlog::error("event=dispatch_record_failed recipient={} message={}", job.recipient.id,
                    result.error().message);
    }
    if (event.kind != "sent") {
      spdlog::warn("event={} campaign={} recipient={} smtp_code={}", event.kind,
                   job.recipient.campaign_id, job.recipient.id, outcome.smtp_code);
    }
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
