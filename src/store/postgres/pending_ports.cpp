// The ports the PostgreSQL adapter does not implement yet (issue #12 is in
// progress): every method throws, and the store answers kInternal "not
// implemented on PostgreSQL yet". A port leaves this file when its own file
// implements it; the conformance suite skips its tests on PostgreSQL until then.
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

void not_implemented_yet(const char* port) {
  throw Failure("0A000", std::string(port) + ": not implemented on PostgreSQL yet");
}

// Templates: not implemented on PostgreSQL yet.
Result<EmailTemplate> PgTemplates::create_template(std::int64_t, const EmailTemplate&) {
  not_implemented_yet("templates");
}
std::optional<EmailTemplate> PgTemplates::find_template(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}
Page<EmailTemplate> PgTemplates::list_templates(std::int64_t, PageRequest) {
  not_implemented_yet("templates");
}
Result<void> PgTemplates::update_template(std::int64_t, const EmailTemplate&) {
  not_implemented_yet("templates");
}
bool PgTemplates::delete_template(std::int64_t, std::int64_t) { not_implemented_yet("templates"); }
Result<LandingPage> PgTemplates::create_page(std::int64_t, const LandingPage&) {
  not_implemented_yet("templates");
}
std::optional<LandingPage> PgTemplates::find_page(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}
Page<LandingPage> PgTemplates::list_pages(std::int64_t, PageRequest) {
  not_implemented_yet("templates");
}
Result<void> PgTemplates::update_page(std::int64_t, const LandingPage&) {
  not_implemented_yet("templates");
}
bool PgTemplates::delete_page(std::int64_t, std::int64_t) { not_implemented_yet("templates"); }
Result<SendingProfile> PgTemplates::create_profile(std::int64_t, const SendingProfile&) {
  not_implemented_yet("templates");
}
std::optional<SendingProfile> PgTemplates::find_profile(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}
Page<SendingProfile> PgTemplates::list_profiles(std::int64_t, PageRequest) {
  not_implemented_yet("templates");
}
Result<void> PgTemplates::update_profile(std::int64_t, const SendingProfile&, bool) {
  not_implemented_yet("templates");
}
bool PgTemplates::delete_profile(std::int64_t, std::int64_t) { not_implemented_yet("templates"); }
std::optional<std::string> PgTemplates::find_profile_secret(std::int64_t, std::int64_t) {
  not_implemented_yet("templates");
}

// Campaigns: not implemented on PostgreSQL yet.
Result<Campaign> PgCampaigns::create_campaign(std::int64_t, const Campaign&) {
  not_implemented_yet("campaigns");
}
std::optional<Campaign> PgCampaigns::find_campaign(std::int64_t, std::int64_t) {
  not_implemented_yet("campaigns");
}
Page<Campaign> PgCampaigns::list_campaigns(std::int64_t, PageRequest) {
  not_implemented_yet("campaigns");
}
Result<void> PgCampaigns::update_campaign(std::int64_t, const Campaign&) {
  not_implemented_yet("campaigns");
}
bool PgCampaigns::delete_campaign(std::int64_t, std::int64_t) { not_implemented_yet("campaigns"); }
std::vector<Target> PgCampaigns::targets_of_groups(std::int64_t, const std::vector<std::int64_t>&) {
  not_implemented_yet("campaigns");
}
std::int64_t PgCampaigns::insert_variant(std::int64_t, const CampaignVariant&) {
  not_implemented_yet("campaigns");
}
std::optional<CampaignVariant> PgCampaigns::find_variant(std::int64_t) {
  not_implemented_yet("campaigns");
}
void PgCampaigns::insert_recipients(std::int64_t, std::int64_t, const std::vector<Recipient>&) {
  not_implemented_yet("campaigns");
}
bool PgCampaigns::set_campaign_state(const Campaign&, CampaignStatus) {
  not_implemented_yet("campaigns");
}
std::int64_t PgCampaigns::cancel_unsent(std::int64_t) { not_implemented_yet("campaigns"); }
std::int64_t PgCampaigns::count_targets_of_groups(std::int64_t, const std::vector<std::int64_t>&) {
  not_implemented_yet("campaigns");
}

// SendQueue: not implemented on PostgreSQL yet.
std::vector<Recipient> PgSendQueue::claim_due(std::int64_t, std::int64_t, int) {
  not_implemented_yet("send_queue");
}
std::optional<DispatchInfo> PgSendQueue::dispatch_info(std::int64_t) {
  not_implemented_yet("send_queue");
}
void PgSendQueue::mark_sent(std::int64_t, std::int64_t) { not_implemented_yet("send_queue"); }
void PgSendQueue::mark_retry(std::int64_t, std::int64_t, const std::string&, int) {
  not_implemented_yet("send_queue");
}
void PgSendQueue::mark_failed(std::int64_t, const std::string&, int) {
  not_implemented_yet("send_queue");
}
void PgSendQueue::mark_cancelled(std::int64_t) { not_implemented_yet("send_queue"); }
void PgSendQueue::renew_lease(std::int64_t, std::int64_t) { not_implemented_yet("send_queue"); }
void PgSendQueue::release_claim(std::int64_t) { not_implemented_yet("send_queue"); }

// Events: not implemented on PostgreSQL yet.
std::int64_t PgEvents::append_event(const EventRecord&) { not_implemented_yet("events"); }
Page<EventRecord> PgEvents::list_events(std::int64_t, std::int64_t, PageRequest) {
  not_implemented_yet("events");
}
std::optional<RidInfo> PgEvents::find_rid(std::string_view) { not_implemented_yet("events"); }
bool PgEvents::campaign_active(std::int64_t) { not_implemented_yet("events"); }
Funnel PgEvents::funnel_from_events(std::int64_t) { not_implemented_yet("events"); }
std::vector<ChangedEvent> PgEvents::mark_automated_between(std::int64_t, std::int64_t, std::int64_t,
                                                           const std::string&, const std::string&,
                                                           const std::string&) {
  not_implemented_yet("events");
}
std::int64_t PgEvents::flag_address_suspect_between(const std::string&, std::int64_t, std::int64_t,
                                                    const std::string&) {
  not_implemented_yet("events");
}
std::optional<ChangedEvent> PgEvents::set_classification(std::int64_t, std::int64_t, bool,
                                                         const std::string&) {
  not_implemented_yet("events");
}

// Results: not implemented on PostgreSQL yet.
RecipientCounts PgResults::count_recipients(std::int64_t) { not_implemented_yet("results"); }
Page<Recipient> PgResults::list_recipients(std::int64_t, const RecipientFilter&, PageRequest) {
  not_implemented_yet("results");
}
ResultCounts PgResults::result_counts(std::int64_t) { not_implemented_yet("results"); }
std::pair<std::int64_t, std::int64_t> PgResults::activity_span(std::int64_t) {
  not_implemented_yet("results");
}
std::vector<TimelineBucket> PgResults::timeline(std::int64_t, std::int64_t) {
  not_implemented_yet("results");
}
std::optional<RecipientFunnel> PgResults::recipient_funnel(std::int64_t) {
  not_implemented_yet("results");
}
void PgResults::set_recipient_funnel(std::int64_t, const Funnel&) {
  not_implemented_yet("results");
}
void PgResults::add_to_counters(std::int64_t, const CounterDelta&) {
  not_implemented_yet("results");
}

// Training: not implemented on PostgreSQL yet.
TrainingSettings PgTraining::settings(std::int64_t) { not_implemented_yet("training"); }
void PgTraining::save_settings(std::int64_t, const TrainingSettings&) {
  not_implemented_yet("training");
}
std::vector<std::int64_t> PgTraining::unknown_targets(std::int64_t,
                                                      const std::vector<std::int64_t>&) {
  not_implemented_yet("training");
}
std::optional<std::int64_t> PgTraining::insert_assignment(std::int64_t, std::int64_t,
                                                          const NewAssignments&) {
  not_implemented_yet("training");
}
void PgTraining::queue_training_mail(std::int64_t, std::int64_t, const std::vector<PlannedMail>&) {
  not_implemented_yet("training");
}
std::optional<CampaignFollowUp> PgTraining::campaign_follow_up(std::int64_t) {
  not_implemented_yet("training");
}
std::optional<std::int64_t> PgTraining::reopen_withdrawn(std::int64_t, std::int64_t,
                                                         const std::string&, std::int64_t,
                                                         std::int64_t) {
  not_implemented_yet("training");
}
std::int64_t PgTraining::withdraw_unstarted(std::int64_t, std::int64_t, const std::string&) {
  not_implemented_yet("training");
}
std::optional<Assignment> PgTraining::find_assignment(std::int64_t, std::int64_t) {
  not_implemented_yet("training");
}
Page<Assignment> PgTraining::list_assignments(std::int64_t, const AssignmentFilter&, PageRequest) {
  not_implemented_yet("training");
}
bool PgTraining::cancel_assignment(std::int64_t, std::int64_t, const std::string&, std::int64_t) {
  not_implemented_yet("training");
}
bool PgTraining::remind_now(std::int64_t, std::int64_t, std::int64_t) {
  not_implemented_yet("training");
}
std::vector<QuizAttempt> PgTraining::attempts_of(std::int64_t) { not_implemented_yet("training"); }
std::vector<TrainingMailRecord> PgTraining::mails_of(std::int64_t) {
  not_implemented_yet("training");
}
std::vector<TrainingReportRow> PgTraining::report(std::int64_t, std::int64_t, std::int64_t) {
  not_implemented_yet("training");
}

// Portal: not implemented on PostgreSQL yet.
void PgPortal::replace_start_link(std::int64_t, std::int64_t, std::int64_t, const std::string&,
                                  std::int64_t, std::int64_t) {
  not_implemented_yet("portal");
}
void PgPortal::create_portal_link(std::int64_t, std::int64_t, const std::string&, std::int64_t,
                                  std::int64_t) {
  not_implemented_yet("portal");
}
std::optional<PortalLink> PgPortal::find_portal_link(const std::string&) {
  not_implemented_yet("portal");
}
std::vector<Assignment> PgPortal::assignments_of_target(std::int64_t, std::int64_t) {
  not_implemented_yet("portal");
}
void PgPortal::mark_started(std::int64_t, std::int64_t) { not_implemented_yet("portal"); }
void PgPortal::set_quiz_nonce(std::int64_t, const std::string&) { not_implemented_yet("portal"); }
bool PgPortal::consume_quiz_nonce(std::int64_t, const std::string&) {
  not_implemented_yet("portal");
}
void PgPortal::record_attempt(const QuizAttempt&) { not_implemented_yet("portal"); }

// TrainingMailQueue: not implemented on PostgreSQL yet.
std::vector<TrainingMailJob> PgTrainingMailQueue::claim_training_mail(std::int64_t, std::int64_t,
                                                                      int) {
  not_implemented_yet("training_mail_queue");
}
bool PgTrainingMailQueue::renew_training_mail_lease(std::int64_t, std::int64_t) {
  not_implemented_yet("training_mail_queue");
}
void PgTrainingMailQueue::release_training_mail(std::int64_t) {
  not_implemented_yet("training_mail_queue");
}
void PgTrainingMailQueue::mark_training_mail_sent(std::int64_t, const std::string&, std::int64_t) {
  not_implemented_yet("training_mail_queue");
}
void PgTrainingMailQueue::mark_training_mail_retry(std::int64_t, std::int64_t, const std::string&) {
  not_implemented_yet("training_mail_queue");
}
void PgTrainingMailQueue::mark_training_mail_failed(std::int64_t, const std::string&) {
  not_implemented_yet("training_mail_queue");
}

}  // namespace phishdrill::pg
