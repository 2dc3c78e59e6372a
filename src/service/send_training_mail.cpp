#include "service/send_training_mail.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"
#include "crypto/sodium.h"
#include "mail/mime_composer.h"
#include "service/mail_verdict.h"

namespace phishdrill::service {
namespace {

void log_queue_failure(std::string_view event, const ClaimedTrainingMail& mail,
                       const Error& error) {
  spdlog::warn("event={} training_mail={} message={}", event, mail.mail.id,
               log_value(error.message));
}

}  // namespace

SendTrainingMail::SendTrainingMail(Store& store, const Clock& clock, const TokenSource& tokens,
                                   const SecretKey& key, MailTransports& transports,
                                   TrainingMailOptions options)
    : store_(store),
      clock_(clock),
      tokens_(tokens),
      transports_(transports),
      options_(std::move(options)),
      profiles_(key, store.generations()) {}

Result<std::vector<ClaimedTrainingMail>> SendTrainingMail::claim(int limit) {
  std::vector<ClaimedTrainingMail> out;
  if (!options_.catalogue) return out;
  const auto now = clock_.now();
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    for (auto& job :
         repos.training_mail.claim_training_mail(now, now + options_.lease_seconds, limit)) {
      ClaimedTrainingMail m;
      m.mail = std::move(job);
      const auto& a = m.mail.assignment;
      const auto settings = repos.training.settings(m.mail.workspace_id);
      const auto& cached = profiles_.get(repos, m.mail.workspace_id, a.profile_id);
      m.profile = cached.profile;
      m.password = cached.password;
      m.link_valid_days = settings.link_valid_days;
      m.inform_manager = settings.cc_manager_when_overdue && m.mail.kind == "overdue" &&
                         !a.target.manager_email.empty();
      out.push_back(std::move(m));
    }
    return {};
  }));
  return out;
}

bool SendTrainingMail::renew(const ClaimedTrainingMail& mail) {
  bool renewed = false;
  auto written = store_.write([&](Repositories& repos) -> Result<void> {
    renewed = repos.training_mail.renew_training_mail_lease(mail.mail.id,
                                                            clock_.now() + options_.lease_seconds);
    return {};
  });
  // The worker then lets go; the lease runs out as a crash would, and
  // another claim sends the email.
  if (!written) log_queue_failure("training_mail_renew_failed", mail, written.error());
  return renewed;
}

void SendTrainingMail::release(const ClaimedTrainingMail& mail) {
  auto released = store_.write([&](Repositories& repos) -> Result<void> {
    repos.training_mail.release_training_mail(mail.mail.id);
    return {};
  });
  if (!released) log_queue_failure("training_mail_release_failed", mail, released.error());
}

Result<std::optional<IssuedLink>> SendTrainingMail::issue_link(const ClaimedTrainingMail& mail) {
  const auto& a = mail.mail.assignment;
  const auto now = clock_.now();
  const std::string token = tokens_.token(32);
  const std::int64_t expires = now + static_cast<std::int64_t>(mail.link_valid_days) * 86400;
  bool wanted = false;
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    wanted =
        repos.training_mail.renew_training_mail_lease(mail.mail.id, now + options_.lease_seconds);
    if (wanted) {
      repos.portal.create_portal_link(mail.mail.workspace_id, a.target.id,
                                      crypto::hash_token(token), now, expires);
    }
    return {};
  }));
  if (!wanted) return std::optional<IssuedLink>();
  const std::string& base =
      a.portal_base_url.empty() ? options_.default_base_url : a.portal_base_url;
  return IssuedLink{base + options_.portal_path + "/" + token, expires};
}

DeliveryVerdict SendTrainingMail::send(const ClaimedTrainingMail& mail, Lease& lease) {
  const auto permanent = [](std::string why) {
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kFailed, 0, std::move(why));
  };
  const auto& a = mail.mail.assignment;
  const auto module = options_.catalogue->find(mail.mail.workspace_id, a.module_slug);
  if (!mail.profile) return permanent("the sending profile no longer exists");
  if (!module) return permanent("the training module is no longer in the catalogue");
  if (!transports_.wait_for_rate(*mail.profile, lease)) {
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kGiveBack);
  }
  const auto issued = issue_link(mail);
  if (!issued) {
    // Nothing was sent or stored: the email goes back to the queue untried.
    log_queue_failure("training_mail_link_failed", mail, issued.error());
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kGiveBack);
  }
  const auto& link = *issued;
  if (!link) return DeliveryVerdict::of(DeliveryVerdict::Kind::kCancelled);
  const TrainingMailInput input{mail.mail.kind,     a,         module->title,
                                module->minutes,    link->url, link->expires_at,
                                mail.inform_manager};
  auto message = build_training_mail(input, *mail.profile);
  if (!message) return permanent(message.error().message);
  auto mime = compose_new(*message);
  if (!mime) return permanent(mime.error().message);
  const auto outcome = transports_.send(*mail.profile, mail.password, message->from_address,
                                        message->to_address, message->message_id, *mime);
  if (outcome.status == SendOutcome::Status::kSent && mail.inform_manager) {
    notify_manager(mail, input, lease);
  }
  auto verdict = judge(mail, outcome);
  verdict.reference = message->message_id;
  return verdict;
}

Result<std::string> SendTrainingMail::compose_new(OutgoingMessage& message) {
  message.message_id = new_message_id(message.from_address);
  message.date = clock_.now();
  return compose_mime(message);
}

// Best effort: the person's reminder decides the email's outcome.
void SendTrainingMail::notify_manager(const ClaimedTrainingMail& mail,
                                      const TrainingMailInput& input, Lease& lease) {
  auto notice = build_manager_notice(input, *mail.profile);
  if (!notice || !transports_.wait_for_rate(*mail.profile, lease)) return;
  auto mime = compose_new(*notice);
  if (!mime) return;
  const auto sent = transports_.send(*mail.profile, mail.password, notice->from_address,
                                     notice->to_address, notice->message_id, *mime);
  if (sent.status != SendOutcome::Status::kSent) {
    spdlog::warn("event=training_manager_notice_failed assignment={} smtp_code={}",
                 mail.mail.assignment.id, sent.smtp_code);
  }
}

DeliveryVerdict SendTrainingMail::judge(const ClaimedTrainingMail& mail,
                                        const SendOutcome& outcome) const {
  return judge_send(outcome, mail.mail.attempts, options_.retry, clock_.now());
}

Result<void> SendTrainingMail::record(const ClaimedTrainingMail& mail, const DeliveryVerdict& v) {
  if (v.kind == DeliveryVerdict::Kind::kCancelled) return {};
  const auto now = clock_.now();
  const char* state = "sent";
  auto stored = store_.write([&](Repositories& repos) -> Result<void> {
    switch (v.kind) {
      case DeliveryVerdict::Kind::kSent:
        repos.training_mail.mark_training_mail_sent(mail.mail.id, v.reference, now);
        break;
      case DeliveryVerdict::Kind::kRetry:
        repos.training_mail.mark_training_mail_retry(mail.mail.id, v.retry_at, v.detail);
        state = "deferred";
        break;
      case DeliveryVerdict::Kind::kGiveBack:
        repos.training_mail.release_training_mail(mail.mail.id);
        state = "released";
        break;
      default:
        repos.training_mail.mark_training_mail_failed(mail.mail.id, v.detail);
        state = "failed";
        break;
    }
    return {};
  });
  spdlog::info("event=training_mail_{} kind={} assignment={} smtp_code={}", state, mail.mail.kind,
               mail.mail.assignment.id, v.code);
  return stored;
}

}  // namespace phishdrill::service
