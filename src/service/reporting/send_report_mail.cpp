#include "service/reporting/send_report_mail.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"
#include "crypto/sodium.h"
#include "mail/mime_composer.h"
#include "service/mail_verdict.h"
#include "service/reporting/feedback_message.h"

namespace phishdrill::service {
namespace {

void log_queue_failure(std::string_view event, const ClaimedReportMail& mail, const Error& error) {
  spdlog::warn("event={} report_mail={} message={}", event, mail.mail.id, log_value(error.message));
}

DeliveryVerdict cancelled(std::string why) {
  return DeliveryVerdict::of(DeliveryVerdict::Kind::kCancelled, 0, std::move(why));
}

DeliveryVerdict failed(std::string why) {
  return DeliveryVerdict::of(DeliveryVerdict::Kind::kFailed, 0, std::move(why));
}

// Why the reporter is not to be told, or "" when they are.
std::string feedback_unwanted(const ClaimedReportMail& mail) {
  const auto& job = mail.mail;
  if (!mail.settings.enabled) return "feedback to reporters is switched off";
  if (job.person.email.empty()) return "the reporter is no longer in the targets list";
  if (job.kind == "acknowledge" && job.report.status == ReportStatus::kTriage &&
      !job.report.verdict.empty()) {
    return "the verdict was decided first and is sent instead";
  }
  return "";
}

}  // namespace

SendReportMail::SendReportMail(Store& store, const Clock& clock, const SecretKey& key,
                               MailTransports& transports, ReportMailOptions options)
    : store_(store),
      clock_(clock),
      key_(key),
      transports_(transports),
      options_(std::move(options)),
      profiles_(key, store.generations()) {}

Result<std::vector<ClaimedReportMail>> SendReportMail::claim(int limit) {
  std::vector<ClaimedReportMail> out;
  const auto now = clock_.now();
  PD_TRY(store_.write([&](Repositories& repos) -> Result<void> {
    for (auto& job :
         repos.report_mail.claim_report_mail(now, now + options_.lease_seconds, limit)) {
      ClaimedReportMail m;
      m.mail = std::move(job);
      m.settings = repos.report_mail.feedback_settings(m.mail.workspace_id);
      if (m.settings.profile_id != 0) {
        const auto& cached = profiles_.get(repos, m.mail.workspace_id, m.settings.profile_id);
        m.profile = cached.profile;
        m.password = cached.password;
      }
      if (m.mail.kind == "forward") {
        const auto sealed = repos.reports.original(m.mail.workspace_id, m.mail.report.id);
        if (sealed) m.original = crypto::open(key_, *sealed).value_or("");
      }
      out.push_back(std::move(m));
    }
    return {};
  }));
  return out;
}

bool SendReportMail::renew(const ClaimedReportMail& mail) {
  bool renewed = false;
  auto written = store_.write([&](Repositories& repos) -> Result<void> {
    renewed = repos.report_mail.renew_report_mail_lease(mail.mail.id,
                                                        clock_.now() + options_.lease_seconds);
    return {};
  });
  if (!written) log_queue_failure("report_mail_renew_failed", mail, written.error());
  return renewed;
}

void SendReportMail::release(const ClaimedReportMail& mail) {
  auto released = store_.write([&](Repositories& repos) -> Result<void> {
    repos.report_mail.release_report_mail(mail.mail.id);
    return {};
  });
  if (!released) log_queue_failure("report_mail_release_failed", mail, released.error());
}

std::variant<OutgoingMessage, DeliveryVerdict> SendReportMail::compose(
    const ClaimedReportMail& mail) const {
  using Composed = std::variant<OutgoingMessage, DeliveryVerdict>;
  const auto built = [](Result<OutgoingMessage> message) -> Composed {
    if (!message) return failed(message.error().message);
    return *std::move(message);
  };
  const auto& job = mail.mail;
  if (job.kind == "forward") {
    if (mail.settings.forward_to.empty()) return cancelled("forwarding is switched off");
    if (mail.original.empty()) return cancelled("the original is no longer kept");
    if (!mail.profile) return failed("no sending profile is chosen for reporting");
    return built(
        build_forward_mail(job.report, mail.settings.forward_to, mail.original, *mail.profile));
  }
  if (auto why = feedback_unwanted(mail); !why.empty()) return cancelled(why);
  const auto kind = feedback_text_for(job.kind, job.report);
  if (!kind) return cancelled("the report has no verdict");
  if (!mail.profile) return failed("no sending profile is chosen for feedback");
  return built(
      build_feedback_mail(job.person, job.report, mail.settings.text(*kind), *mail.profile));
}

DeliveryVerdict SendReportMail::send(const ClaimedReportMail& mail, Lease& lease) {
  auto composed = compose(mail);
  if (auto* verdict = std::get_if<DeliveryVerdict>(&composed)) return *verdict;
  auto& message = std::get<OutgoingMessage>(composed);
  if (!transports_.wait_for_rate(*mail.profile, lease)) {
    return DeliveryVerdict::of(DeliveryVerdict::Kind::kGiveBack);
  }
  message.message_id = new_message_id(message.from_address);
  message.date = clock_.now();
  auto mime = compose_mime(message);
  if (!mime) return failed(mime.error().message);
  const auto outcome = transports_.send(*mail.profile, mail.password, message.from_address,
                                        message.to_address, message.message_id, *mime);
  auto verdict = judge(mail, outcome);
  verdict.reference = message.message_id;
  return verdict;
}

DeliveryVerdict SendReportMail::judge(const ClaimedReportMail& mail,
                                      const SendOutcome& outcome) const {
  return judge_send(outcome, mail.mail.attempts, options_.retry, clock_.now());
}

Result<void> SendReportMail::record(const ClaimedReportMail& mail, const DeliveryVerdict& v) {
  const auto now = clock_.now();
  const auto& job = mail.mail;
  const char* state = "sent";
  auto stored = store_.write([&](Repositories& repos) -> Result<void> {
    switch (v.kind) {
      case DeliveryVerdict::Kind::kSent:
        repos.report_mail.mark_report_mail_sent(
            job.id, v.reference, job.kind == "verdict" ? job.report.verdict : "", now);
        // A verdict changed while this email was on its way is told too.
        if (job.kind == "verdict") {
          repos.report_mail.queue_report_mail(job.workspace_id, job.report.id, "verdict", now);
        }
        break;
      case DeliveryVerdict::Kind::kRetry:
        repos.report_mail.mark_report_mail_retry(job.id, v.retry_at, v.detail);
        state = "deferred";
        break;
      case DeliveryVerdict::Kind::kGiveBack:
        repos.report_mail.release_report_mail(job.id);
        state = "released";
        break;
      case DeliveryVerdict::Kind::kCancelled:
        repos.report_mail.mark_report_mail_cancelled(job.id, v.detail);
        state = "cancelled";
        break;
      case DeliveryVerdict::Kind::kFailed:
        repos.report_mail.mark_report_mail_failed(job.id, v.detail);
        state = "failed";
        break;
    }
    return {};
  });
  spdlog::info("event=report_mail_{} kind={} report={} smtp_code={}", state, job.kind,
               job.report.id, v.code);
  return stored;
}

}  // namespace phishdrill::service
