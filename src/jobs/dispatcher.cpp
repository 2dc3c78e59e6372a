#include "jobs/dispatcher.h"

#include <spdlog/spdlog.h>

#include "core/log_text.h"
#include "service/reporting/send_report_mail.h"
#include "service/send_campaign_mail.h"

namespace phishdrill::jobs {
namespace {

using service::ClaimedCampaignMail;
using service::ClaimedReportMail;
using service::ClaimedTrainingMail;

// Claims through a use case; a failed claim is logged and counts as nothing due.
template <class UseCase>
auto claim_or_log(UseCase& use_case, int limit, const char* event) {
  auto claimed = use_case.claim(limit);
  if (!claimed) {
    spdlog::error("event={} message={}", event, log_value(claimed.error().message));
    return typename decltype(claimed)::value_type{};
  }
  return std::move(*claimed);
}

class CampaignMailQueue final : public LeasedQueue<ClaimedCampaignMail> {
 public:
  explicit CampaignMailQueue(service::SendCampaignMail& use_case) : use_case_(use_case) {}

  std::vector<ClaimedCampaignMail> claim(int limit) override {
    return claim_or_log(use_case_, limit, "dispatch_claim_failed");
  }
  void renew(const ClaimedCampaignMail& mail) override { use_case_.renew(mail); }
  void release(const ClaimedCampaignMail& mail) override { use_case_.release(mail); }
  DeliveryVerdict handle(const ClaimedCampaignMail& mail, Lease& lease) override {
    return use_case_.send(mail, lease);
  }
  void record(const ClaimedCampaignMail& mail, const DeliveryVerdict& verdict) override {
    if (auto stored = use_case_.record(mail, verdict); !stored) {
      spdlog::error("event=dispatch_record_failed recipient={} message={}", mail.recipient.id,
                    log_value(stored.error().message));
    }
  }

 private:
  service::SendCampaignMail& use_case_;
};

class TrainingMailQueue final : public LeasedQueue<ClaimedTrainingMail> {
 public:
  explicit TrainingMailQueue(service::SendTrainingMail& use_case) : use_case_(use_case) {}

  std::vector<ClaimedTrainingMail> claim(int limit) override {
    return claim_or_log(use_case_, limit, "training_mail_claim_failed");
  }
  void renew(const ClaimedTrainingMail& mail) override { (void)use_case_.renew(mail); }
  void release(const ClaimedTrainingMail& mail) override { use_case_.release(mail); }
  DeliveryVerdict handle(const ClaimedTrainingMail& mail, Lease& lease) override {
    return use_case_.send(mail, lease);
  }
  void record(const ClaimedTrainingMail& mail, const DeliveryVerdict& verdict) override {
    if (auto stored = use_case_.record(mail, verdict); !stored) {
      spdlog::error("event=training_mail_record_failed mail={} message={}", mail.mail.id,
                    log_value(stored.error().message));
    }
  }

 private:
  service::SendTrainingMail& use_case_;
};

class ReportMailQueue final : public LeasedQueue<ClaimedReportMail> {
 public:
  explicit ReportMailQueue(service::SendReportMail& use_case) : use_case_(use_case) {}

  std::vector<ClaimedReportMail> claim(int limit) override {
    return claim_or_log(use_case_, limit, "report_mail_claim_failed");
  }
  void renew(const ClaimedReportMail& mail) override { (void)use_case_.renew(mail); }
  void release(const ClaimedReportMail& mail) override { use_case_.release(mail); }
  DeliveryVerdict handle(const ClaimedReportMail& mail, Lease& lease) override {
    return use_case_.send(mail, lease);
  }
  void record(const ClaimedReportMail& mail, const DeliveryVerdict& verdict) override {
    if (auto stored = use_case_.record(mail, verdict); !stored) {
      spdlog::error("event=report_mail_record_failed mail={} message={}", mail.mail.id,
                    log_value(stored.error().message));
    }
  }

 private:
  service::SendReportMail& use_case_;
};

}  // namespace

// One sending thread: its transports, the three queues and their workers.
// Campaign mail goes first, but every few turns a training email or a
// report email (feedback, forwards) does, so a long campaign backlog cannot
// hold back a notice, a reminder or a reporter's answer for hours.
class Dispatcher::MailThread final : public WorkSource {
 public:
  MailThread(Dispatcher& d, const std::atomic<bool>& stopping)
      : transports_(d.transports_, d.rate_),
        campaign_use_case_(d.store_, d.clock_, d.key_, transports_,
                           {.lease_seconds = d.options_.lease_seconds,
                            .retry = d.options_.retry,
                            .default_base_url = d.options_.default_base_url,
                            .links = d.options_.links}),
        training_use_case_(d.store_, d.clock_, d.tokens_, d.key_, transports_,
                           {.lease_seconds = d.options_.lease_seconds,
                            .retry = d.options_.retry,
                            .default_base_url = d.options_.default_base_url,
                            .portal_path = d.options_.training.portal_path,
                            .catalogue = d.options_.training.catalogue}),
        report_use_case_(d.store_, d.clock_, d.key_, transports_,
                         {.lease_seconds = d.options_.lease_seconds, .retry = d.options_.retry}),
        campaign_queue_(campaign_use_case_),
        training_queue_(training_use_case_),
        report_queue_(report_use_case_),
        campaign_(campaign_queue_, stopping,
                  {.batch = 1, .lease_seconds = d.options_.lease_seconds, .now = steady_now}),
        training_(training_queue_, stopping,
                  {.batch = 1, .lease_seconds = d.options_.lease_seconds, .now = steady_now}),
        report_(report_queue_, stopping,
                {.batch = 1, .lease_seconds = d.options_.lease_seconds, .now = steady_now}) {}

  bool run_once() override {
    ++turn_;
    if (turn_ % kSideTurn == 0 && training_.run_once()) return true;
    if (turn_ % kSideTurn == kSideTurn / 2 && report_.run_once()) return true;
    if (campaign_.run_once()) return true;
    return training_.run_once() || report_.run_once();
  }

 private:
  static constexpr unsigned kSideTurn = 8;
  service::MailTransports transports_;
  service::SendCampaignMail campaign_use_case_;
  service::SendTrainingMail training_use_case_;
  service::SendReportMail report_use_case_;
  CampaignMailQueue campaign_queue_;
  TrainingMailQueue training_queue_;
  ReportMailQueue report_queue_;
  LeasedQueueWorker<ClaimedCampaignMail> campaign_;
  LeasedQueueWorker<ClaimedTrainingMail> training_;
  LeasedQueueWorker<ClaimedReportMail> report_;
  unsigned turn_ = 0;
};

Dispatcher::Dispatcher(Store& store, const Clock& clock, const TokenSource& tokens,
                       const SecretKey& key, DispatcherOptions options,
                       service::TransportFactory transports)
    : store_(store),
      clock_(clock),
      tokens_(tokens),
      key_(key),
      options_(std::move(options)),
      transports_(std::move(transports)),
      rate_(store),
      runner_({.threads = options_.workers,
               .idle_first = options_.idle_poll,
               .idle_max = options_.idle_poll},
              [this](int) { return std::make_unique<MailThread>(*this, runner_.stopping()); }) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() { runner_.start(); }

void Dispatcher::stop() { runner_.stop(); }

void Dispatcher::wake() { runner_.wake(); }

}  // namespace phishdrill::jobs
