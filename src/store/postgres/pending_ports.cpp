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
