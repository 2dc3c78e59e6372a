#include "service/send_campaign_mail.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/log_text.h"
#include "mail/mime_composer.h"
#include "service/mail_verdict.h"
#include "service/webhook/event_payload.h"

namespace phishdrill::service {

namespace {

void log_queue_failure(std::string_view event, const ClaimedCampaignMail& mail,
                       const Error& error) {
  spdlog::warn("event={} recipient={} message={}", event, mail.recipient.id,
               log_value(error.message));
}

}  // namespace

SendCampaignMail::SendCampaignMail(Store& store, const Clock& clock, const SecretKey& key,
                                   MailTransports& transports, CampaignMailOptions options)
    : store_(store),
      clock_(clock),
      transports_(transports),
      options_(std::move(options)),
      builder_(options_.links),
      profiles_(key, store.generations()) {}

Result<std::vector<ClaimedCampaignMail>> SendCampaignMail::claim(int limit) {
  std::vector<ClaimedCampaignMail> out;
  const auto now = clock_.now();
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    for (auto& recipient : repos.send_queue.claim_due(now, now + options_.lease_seconds, limit)) {
      ClaimedCampaignMail m;
      m.recipient = std::move(recipient);
      auto info = repos.send_queue.dispatch_info(m.recipient.campaign_id);
      if (!info) return fail(ErrorCode::kInternal, "claimed recipient has no campaign");
      m.campaign = std::move(*info);
      m.variant = variant(repos, m.recipient.variant_id);
      if (!m.variant) return fail(ErrorCode::kInternal, "claimed recipient has no variant");
      const auto& cached = profiles_.get(repos, m.campaign.workspace_id, m.campaign.profile_id);
      m.profile = cached.profile;
      m.password = cached.password;
      out.push_back(std::move(m));
    }
    return {};
  }));
  return out;
}

std::shared_ptr<const CampaignVariant> SendCampaignMail::variant(Repositories& repos,
                                                                 std::int64_t id) {
  if (auto it = variants_.find(id); it != variants_.end()) return it->second;
  auto loaded = repos.campaigns.find_variant(id);
  if (!loaded) return nullptr;
  if (variants_.size() > 64) variants_.clear();
  auto shared = std::make_shared<const CampaignVariant>(std::move(*loaded));
  variants_.emplace(id, shared);
  return shared;
}

void SendCampaignMail::renew(const ClaimedCampaignMail& mail) {
  const auto until = clock_.now() + options_.lease_seconds;
  auto renewed = store_.write([&](Repositories& repos) -> Result<void> {
    repos.send_queue.renew_lease(mail.recipient.id, until);
    return {};
  });
  // The lease then runs out as a crash would: another claim resends the
  // message with the same Message-ID.
  if (!renewed) log_queue_failure("dispatch_renew_failed", mail, renewed.error());
}

void SendCampaignMail::release(const ClaimedCampaignMail& mail) {
  // Put it back as it was, so another start sends it promptly (or, when
  // that fails, once its lease runs out).
  auto released = store_.write([&](Repositories& repos) -> Result<void> {
    repos.send_queue.release_claim(mail.recipient.id);
    return {};
  });
  if (!released) log_queue_failure("dispatch_release_failed", mail, released.error());
}

Result<bool> SendCampaignMail::still_active(const ClaimedCampaignMail& mail) {
  bool active = false;
  PD_TRY(store_.read([&](Repositories& repos) -> Result<void> {
    auto info = repos.send_queue.dispatch_info(mail.recipient.campaign_id);
    active = info && info->status == CampaignStatus::kActive;
    return {};
  }));
  return active;
}

DeliveryVerdict SendCampaignMail::send(const ClaimedCampaignMail& mail, Lease& lease) {
  const auto permanent = [](std::string why) {
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kFailed, 0, std::move(why));
  };
  if (!mail.profile) return permanent("the campaign's sending profile no longer exists");
  const std::string& base =
      mail.campaign.base_url.empty() ? options_.default_base_url : mail.campaign.base_url;
  auto message = builder_.build(mail.recipient, *mail.variant, *mail.profile, base);
  if (!message) return permanent("rendering failed: " + message.error().message);
  message->date = clock_.now();
  auto mime = compose_mime(*message);
  if (!mime) return permanent("composing failed: " + mime.error().message);
  if (!transports_.wait_for_rate(*mail.profile, lease)) {
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kGiveBack);
  }
  const auto active = still_active(mail);
  if (!active) {  // unknown, not ended: give it back untried rather than cancel it
    log_queue_failure("dispatch_check_failed", mail, active.error());
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kGiveBack);
  }
  if (!*active) return DeliveryVerdict::of(DeliveryVerdict::Kind::kCancelled);
  // A fresh lease covers the whole SMTP exchange (bounded by the transport's
  // timeout), so no other worker takes this message over while it is sent.
  lease.renew();
  return judge(mail, transports_.send(*mail.profile, mail.password, message->from_address,
                                      message->to_address, message->message_id, *mime));
}

DeliveryVerdict SendCampaignMail::judge(const ClaimedCampaignMail& mail,
                                        const SendOutcome& outcome) const {
  return judge_send(outcome, mail.recipient.attempts, options_.retry, clock_.now());
}

Result<void> SendCampaignMail::record(const ClaimedCampaignMail& mail, const DeliveryVerdict& v) {
  const auto id = mail.recipient.id;
  if (v.kind == DeliveryVerdict::Kind::kCancelled || v.kind == DeliveryVerdict::Kind::kGiveBack) {
    return store_.write([&](Repositories& repos) -> Result<void> {
      if (v.kind == DeliveryVerdict::Kind::kCancelled) {
        repos.send_queue.mark_cancelled(id);
      } else {
        repos.send_queue.release_claim(id);
      }
      return {};
    });
  }
  const auto now = clock_.now();
  EventRecord event;
  event.workspace_id = mail.campaign.workspace_id;
  event.campaign_id = mail.recipient.campaign_id;
  event.recipient_id = id;
  event.at = now;
  if (v.kind == DeliveryVerdict::Kind::kSent) {
    event.kind = "sent";
    event.details_json = fmt::format(R"({{"attempt":{}}})", mail.recipient.attempts);
  } else {
    event.kind = v.kind == DeliveryVerdict::Kind::kRetry ? "send_deferred" : "send_failed";
    event.details_json = boost::json::serialize(boost::json::object{
        {"attempt", mail.recipient.attempts}, {"smtp_code", v.code}, {"reply", v.detail}});
  }
  auto stored = store_.write([&](Repositories& repos) -> Result<void> {
    switch (v.kind) {
      case DeliveryVerdict::Kind::kSent:
        repos.send_queue.mark_sent(id, now);
        break;
      case DeliveryVerdict::Kind::kRetry:
        repos.send_queue.mark_retry(id, v.retry_at, v.detail, v.code);
        break;
      default:
        repos.send_queue.mark_failed(id, v.detail, v.code);
        break;
    }
    repos.events.append_event(event);
    if (event.kind != "send_deferred") {
      repos.webhooks.enqueue(event.workspace_id, event.kind,
                             event_payload(event, mail.recipient.fields.email), now);
    }
    return {};
  });
  if (event.kind != "sent") {
    spdlog::warn("event={} campaign={} recipient={} smtp_code={}", event.kind,
                 mail.recipient.campaign_id, id, v.code);
  }
  return stored;
}

}  // namespace phishdrill::service
