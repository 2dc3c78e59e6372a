// PostgreSQL implementations of the repository ports, one set per
// transaction: each holds the connection the PostgresStore checked out for
// it, inside a transaction the store opened. Methods throw pg::Failure; the
// store maps it to an Error. Thread-compatible (one transaction's thread).
#pragma once

#include <type_traits>

#include "core/error.h"
#include "store/accounts_repository.h"
#include "store/audit_repository.h"
#include "store/campaigns_repository.h"
#include "store/change_notices.h"
#include "store/events_repository.h"
#include "store/groups_repository.h"
#include "store/installation_repository.h"
#include "store/landing_pages_repository.h"
#include "store/library_repository.h"
#include "store/phish_scale_repository.h"
#include "store/portal_repository.h"
#include "store/postgres/connection.h"
#include "store/report_mail_repository.h"
#include "store/reporters_repository.h"
#include "store/reporting_mailboxes_repository.h"
#include "store/reports_repository.h"
#include "store/results_repository.h"
#include "store/send_queue_repository.h"
#include "store/send_rates_repository.h"
#include "store/sending_profiles_repository.h"
#include "store/sessions_repository.h"
#include "store/sign_ins_repository.h"
#include "store/templates_repository.h"
#include "store/throttles_repository.h"
#include "store/training_imports_repository.h"
#include "store/training_mail_queue_repository.h"
#include "store/training_repository.h"
#include "store/webhooks_repository.h"

namespace phishdrill::pg {

class PgAccounts final : public AccountsRepository {
 public:
  explicit PgAccounts(Connection& db) : db_(db) {}
  std::optional<Workspace> find_workspace_by_name(std::string_view name) override;
  Workspace create_workspace(std::string_view name, std::int64_t now) override;
  std::optional<Workspace> find_workspace(std::int64_t id) override;
  std::int64_t count_users() override;
  Result<User> create_user(const User& user, std::string_view password_hash) override;
  std::optional<UserCredentials> find_credentials(std::string_view email) override;
  std::optional<User> find_user(std::int64_t workspace_id, std::int64_t id) override;
  Page<User> list_users(std::int64_t workspace_id, PageRequest page) override;
  void update_user(const User& user) override;
  void set_password(std::int64_t user_id, std::string_view password_hash,
                    bool must_change) override;
  bool delete_user(std::int64_t workspace_id, std::int64_t id) override;

 private:
  Connection& db_;
};

class PgSignIns final : public SignInsRepository {
 public:
  explicit PgSignIns(Connection& db) : db_(db) {}
  void set_login_failures(std::int64_t user_id, int failures, std::int64_t locked_until) override;
  int begin_login_attempt(std::int64_t user_id, std::int64_t now, int max_failures,
                          int lockout_seconds) override;
  bool settle_failed_login(std::int64_t user_id, std::int64_t now, int max_failures,
                           int lockout_seconds) override;
  void refund_login_attempt(std::int64_t user_id) override;
  bool has_signed_in_from(std::int64_t user_id, std::string_view address) override;
  void remember_sign_in(std::int64_t user_id, std::string_view address, std::int64_t now) override;
  void forget_sign_ins(std::int64_t user_id) override;

 private:
  Connection& db_;
};

class PgSessions final : public SessionsRepository {
 public:
  explicit PgSessions(Connection& db) : db_(db) {}
  void create_session(std::string_view token_hash, const User& user, std::int64_t now) override;
  std::optional<SessionRecord> find_session(std::string_view token_hash) override;
  void touch_session(std::string_view token_hash, std::int64_t now) override;
  void delete_session(std::string_view token_hash) override;
  void delete_sessions_of(std::int64_t user_id) override;
  void delete_expired_sessions(std::int64_t idle_before, std::int64_t created_before) override;
  ApiKey create_api_key(const ApiKey& key, std::string_view key_hash) override;
  std::optional<ApiKey> find_api_key(std::string_view key_hash) override;
  Page<ApiKey> list_api_keys(std::int64_t workspace_id, PageRequest page) override;
  bool delete_api_key(std::int64_t workspace_id, std::int64_t id) override;
  int delete_api_keys_of(std::int64_t user_id) override;
  void touch_api_key(std::int64_t id, std::int64_t now) override;

 private:
  Connection& db_;
};

class PgAudit final : public AuditRepository {
 public:
  explicit PgAudit(Connection& db) : db_(db) {}
  void append(const AuditEntry& entry) override;
  Page<AuditEntry> list(std::int64_t workspace_id, PageRequest page) override;

 private:
  Connection& db_;
};

class PgGroups final : public GroupsRepository {
 public:
  explicit PgGroups(Connection& db) : db_(db) {}
  Result<Group> create_group(std::int64_t workspace_id, std::string_view name,
                             std::int64_t now) override;
  std::optional<Group> find_group(std::int64_t workspace_id, std::int64_t id) override;
  Page<Group> list_groups(std::int64_t workspace_id, PageRequest page) override;
  Result<void> rename_group(std::int64_t workspace_id, std::int64_t id, std::string_view name,
                            std::int64_t now) override;
  void touch_group(std::int64_t id, std::int64_t now) override;
  bool delete_group(std::int64_t workspace_id, std::int64_t id) override;
  UpsertStats upsert_targets(std::int64_t workspace_id, const std::vector<TargetFields>& targets,
                             std::int64_t now) override;
  void add_members(std::int64_t group_id, const std::vector<std::int64_t>& target_ids) override;
  void clear_members(std::int64_t group_id) override;
  bool remove_member(std::int64_t group_id, std::int64_t target_id) override;
  Page<Target> list_members(std::int64_t group_id, PageRequest page) override;

 private:
  Connection& db_;
};

class PgTemplates final : public TemplatesRepository {
 public:
  explicit PgTemplates(Connection& db) : db_(db) {}
  Result<EmailTemplate> create_template(std::int64_t workspace_id,
                                        const EmailTemplate& tmpl) override;
  std::optional<EmailTemplate> find_template(std::int64_t workspace_id, std::int64_t id) override;
  Page<EmailTemplate> list_templates(std::int64_t workspace_id, PageRequest page) override;
  Result<void> update_template(std::int64_t workspace_id, const EmailTemplate& tmpl) override;
  bool delete_template(std::int64_t workspace_id, std::int64_t id) override;

 private:
  Connection& db_;
};

class PgLandingPages final : public LandingPagesRepository {
 public:
  explicit PgLandingPages(Connection& db) : db_(db) {}
  Result<LandingPage> create_page(std::int64_t workspace_id, const LandingPage& page) override;
  std::optional<LandingPage> find_page(std::int64_t workspace_id, std::int64_t id) override;
  Page<LandingPage> list_pages(std::int64_t workspace_id, PageRequest page) override;
  Result<void> update_page(std::int64_t workspace_id, const LandingPage& page) override;
  bool delete_page(std::int64_t workspace_id, std::int64_t id) override;

 private:
  Connection& db_;
};

class PgSendingProfiles final : public SendingProfilesRepository {
 public:
  explicit PgSendingProfiles(Connection& db) : db_(db) {}
  Result<SendingProfile> create_profile(std::int64_t workspace_id, const SendingProfile& profile,
                                        const std::string& password_sealed) override;
  std::optional<SendingProfile> find_profile(std::int64_t workspace_id, std::int64_t id) override;
  Page<SendingProfile> list_profiles(std::int64_t workspace_id, PageRequest page) override;
  Result<void> update_profile(std::int64_t workspace_id, const SendingProfile& profile,
                              const std::optional<std::string>& password_sealed) override;
  bool delete_profile(std::int64_t workspace_id, std::int64_t id) override;
  std::optional<std::string> find_sealed_password(std::int64_t workspace_id,
                                                  std::int64_t id) override;

 private:
  Connection& db_;
};

class PgCampaigns final : public CampaignsRepository {
 public:
  explicit PgCampaigns(Connection& db) : db_(db) {}
  Result<Campaign> create_campaign(std::int64_t workspace_id, const Campaign& c) override;
  std::optional<Campaign> find_campaign(std::int64_t workspace_id, std::int64_t id) override;
  Page<Campaign> list_campaigns(std::int64_t workspace_id, PageRequest page) override;
  Result<void> update_campaign(std::int64_t workspace_id, const Campaign& c) override;
  bool delete_campaign(std::int64_t workspace_id, std::int64_t id) override;
  std::vector<Target> targets_of_groups(std::int64_t workspace_id,
                                        const std::vector<std::int64_t>& group_ids) override;
  Result<void> for_each_target_of_groups(std::int64_t workspace_id,
                                         const std::vector<std::int64_t>& group_ids,
                                         std::size_t batch, const TargetBatch& each) override;
  std::int64_t insert_variant(std::int64_t campaign_id, const CampaignVariant& v) override;
  std::optional<CampaignVariant> find_variant(std::int64_t id) override;
  void insert_recipients(std::int64_t workspace_id, std::int64_t campaign_id,
                         const std::vector<Recipient>& recipients) override;
  bool set_campaign_state(const Campaign& c, CampaignStatus from) override;
  std::int64_t cancel_unsent(std::int64_t campaign_id) override;
  std::int64_t count_targets_of_groups(std::int64_t workspace_id,
                                       const std::vector<std::int64_t>& group_ids) override;

 private:
  Connection& db_;
};

class PgSendQueue final : public SendQueueRepository {
 public:
  explicit PgSendQueue(Connection& db) : db_(db) {}
  std::vector<Recipient> claim_due(std::int64_t now, std::int64_t lease_until, int limit) override;
  std::optional<DispatchInfo> dispatch_info(std::int64_t campaign_id) override;
  void mark_sent(std::int64_t recipient_id, std::int64_t at) override;
  void mark_retry(std::int64_t recipient_id, std::int64_t next_at, const std::string& error,
                  int smtp_code) override;
  void mark_failed(std::int64_t recipient_id, const std::string& error, int smtp_code) override;
  void mark_cancelled(std::int64_t recipient_id) override;
  void renew_lease(std::int64_t recipient_id, std::int64_t lease_until) override;
  void release_claim(std::int64_t recipient_id) override;

 private:
  Connection& db_;
};

class PgEvents final : public EventsRepository {
 public:
  explicit PgEvents(Connection& db) : db_(db) {}
  std::int64_t append_event(const EventRecord& event) override;
  void append_events(std::span<const EventRecord> events) override;
  Page<EventRecord> list_events(std::int64_t campaign_id, std::int64_t recipient_id,
                                PageRequest page) override;
  std::optional<RidInfo> find_rid(std::string_view rid) override;
  bool campaign_active(std::int64_t campaign_id) override;
  Funnel funnel_from_events(std::int64_t recipient_id) override;
  std::vector<ChangedEvent> mark_automated_between(std::int64_t recipient_id, std::int64_t from,
                                                   std::int64_t to, const std::string& ip,
                                                   const std::string& user_agent,
                                                   const std::string& reason) override;
  std::int64_t flag_address_suspect_between(const std::string& ip, std::int64_t from,
                                            std::int64_t to, const std::string& reason) override;
  std::optional<ChangedEvent> set_classification(std::int64_t campaign_id, std::int64_t event_id,
                                                 bool automated,
                                                 const std::string& reason) override;

 private:
  Connection& db_;
};

class PgResults final : public ResultsRepository {
 public:
  explicit PgResults(Connection& db) : db_(db) {}
  RecipientCounts count_recipients(std::int64_t campaign_id) override;
  Page<Recipient> list_recipients(std::int64_t campaign_id, const RecipientFilter& filter,
                                  PageRequest page) override;
  ResultCounts result_counts(std::int64_t campaign_id) override;
  std::pair<std::int64_t, std::int64_t> activity_span(std::int64_t campaign_id) override;
  std::vector<TimelineBucket> timeline(std::int64_t campaign_id,
                                       std::int64_t bucket_seconds) override;

  std::optional<RecipientFunnel> recipient_funnel(std::int64_t recipient_id) override;
  void set_recipient_funnel(std::int64_t recipient_id, const Funnel& funnel) override;
  std::unordered_map<std::int64_t, RecipientFunnel> recipient_funnels(
      std::span<const std::int64_t> recipient_ids) override;
  void set_recipient_funnels(std::span<const FunnelUpdate> updates) override;
  void add_to_counters(std::int64_t campaign_id, const CounterDelta& delta) override;

 private:
  Connection& db_;
};

class PgWebhooks final : public WebhooksRepository {
 public:
  explicit PgWebhooks(Connection& db) : db_(db) {}
  Result<Webhook> create_webhook(std::int64_t workspace_id, const Webhook& w,
                                 const WebhookSeals& seals) override;
  std::optional<Webhook> find_webhook(std::int64_t workspace_id, std::int64_t id) override;
  Page<Webhook> list_webhooks(std::int64_t workspace_id, PageRequest page) override;
  Result<void> update_webhook(std::int64_t workspace_id, const Webhook& w,
                              const WebhookSeals& seals) override;
  bool delete_webhook(std::int64_t workspace_id, std::int64_t id) override;
  bool wants(std::int64_t workspace_id, const std::string& kind) override;
  void enqueue(std::int64_t workspace_id, const std::string& kind, const std::string& payload,
               std::int64_t now) override;
  std::vector<DueDelivery> claim_deliveries(std::int64_t now, std::int64_t lease_until,
                                            int limit) override;
  void release_delivery(std::int64_t delivery_id) override;
  void mark_delivered(std::int64_t delivery_id, int status, std::int64_t at) override;
  void mark_delivery_retry(std::int64_t delivery_id, std::int64_t next_at, int status,
                           const std::string& error) override;
  void mark_delivery_failed(std::int64_t delivery_id, int status,
                            const std::string& error) override;
  Page<WebhookDelivery> list_deliveries(std::int64_t webhook_id, PageRequest page) override;

 private:
  Connection& db_;
};

class PgTraining final : public TrainingRepository {
 public:
  explicit PgTraining(Connection& db) : db_(db) {}
  TrainingSettings settings(std::int64_t workspace_id) override;
  void save_settings(std::int64_t workspace_id, const TrainingSettings& s) override;
  std::vector<std::int64_t> unknown_targets(std::int64_t workspace_id,
                                            const std::vector<std::int64_t>& target_ids) override;
  std::optional<std::int64_t> insert_assignment(std::int64_t workspace_id, std::int64_t target_id,
                                                const NewAssignments& request) override;
  void queue_training_mail(std::int64_t workspace_id, std::int64_t assignment_id,
                           const std::vector<PlannedMail>& mails) override;
  std::optional<CampaignFollowUp> campaign_follow_up(std::int64_t recipient_id) override;
  bool campaign_has_follow_up(std::int64_t campaign_id) override;
  std::optional<std::int64_t> reopen_withdrawn(std::int64_t campaign_id, std::int64_t target_id,
                                               const std::string& withdrawn_reason,
                                               std::int64_t now, std::int64_t due_at) override;
  std::int64_t withdraw_unstarted(std::int64_t campaign_id, std::int64_t target_id,
                                  const std::string& reason) override;
  std::optional<Assignment> find_assignment(std::int64_t workspace_id, std::int64_t id) override;
  Page<Assignment> list_assignments(std::int64_t workspace_id, const AssignmentFilter& filter,
                                    PageRequest page) override;
  bool cancel_assignment(std::int64_t workspace_id, std::int64_t id, const std::string& reason,
                         std::int64_t now) override;
  bool remind_now(std::int64_t workspace_id, std::int64_t id, std::int64_t now) override;
  std::vector<QuizAttempt> attempts_of(std::int64_t assignment_id) override;
  std::vector<TrainingMailRecord> mails_of(std::int64_t assignment_id) override;
  std::vector<TrainingReportRow> report(std::int64_t workspace_id, std::int64_t group_id,
                                        std::int64_t now) override;

 private:
  Connection& db_;
};

class PgPortal final : public PortalRepository {
 public:
  explicit PgPortal(Connection& db) : db_(db) {}
  void replace_start_link(std::int64_t workspace_id, std::int64_t target_id,
                          std::int64_t assignment_id, const std::string& token_hash,
                          std::int64_t now, std::int64_t expires_at) override;
  void create_portal_link(std::int64_t workspace_id, std::int64_t target_id,
                          const std::string& token_hash, std::int64_t now,
                          std::int64_t expires_at) override;
  std::optional<PortalLink> find_portal_link(const std::string& token_hash) override;
  std::vector<Assignment> assignments_of_target(std::int64_t workspace_id,
                                                std::int64_t target_id) override;
  void mark_started(std::int64_t assignment_id, std::int64_t now) override;
  void set_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) override;
  bool consume_quiz_nonce(std::int64_t assignment_id, const std::string& nonce_hash) override;
  void record_attempt(const QuizAttempt& attempt) override;

 private:
  Connection& db_;
};

class PgTrainingMailQueue final : public TrainingMailQueueRepository {
 public:
  explicit PgTrainingMailQueue(Connection& db) : db_(db) {}
  std::vector<TrainingMailJob> claim_training_mail(std::int64_t now, std::int64_t lease_until,
                                                   int limit) override;
  bool renew_training_mail_lease(std::int64_t mail_id, std::int64_t lease_until) override;
  void release_training_mail(std::int64_t mail_id) override;
  void mark_training_mail_sent(std::int64_t mail_id, const std::string& message_id,
                               std::int64_t at) override;
  void mark_training_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                                const std::string& error) override;
  void mark_training_mail_failed(std::int64_t mail_id, const std::string& error) override;

 private:
  Connection& db_;
};

class PgSendRates final : public SendRatesRepository {
 public:
  explicit PgSendRates(Connection& db) : db_(db) {}
  // On the database server's clock, read once the profile's row is held.
  SendSlotDecision take_send_slot(std::int64_t profile_id, SendSlotRate rate) override;

 private:
  Connection& db_;
};

class PgReports final : public ReportsRepository {
 public:
  explicit PgReports(Connection& db) : db_(db) {}
  Result<std::int64_t> insert_report(const Report& report) override;
  std::optional<Report> find_report(std::int64_t workspace_id, std::int64_t id) override;
  Page<Report> list_reports(std::int64_t workspace_id, const ReportFilter& filter,
                            PageRequest page) override;
  std::vector<Report> cluster_reports(std::int64_t workspace_id, std::int64_t cluster_id) override;
  void keep_original(std::int64_t report_id, const std::string& sealed) override;
  std::optional<std::string> original(std::int64_t workspace_id, std::int64_t report_id) override;
  int drop_originals_before(std::int64_t before) override;
  std::int64_t join_cluster(std::int64_t workspace_id, const ReportCluster& seen) override;
  void place_in_cluster(std::int64_t report_id, std::int64_t cluster_id) override;
  std::optional<ReportCluster> find_cluster(std::int64_t workspace_id, std::int64_t id) override;
  Page<ReportCluster> list_clusters(std::int64_t workspace_id, const ClusterFilter& filter,
                                    PageRequest page) override;
  bool set_report_verdict(std::int64_t workspace_id, std::int64_t id, const std::string& verdict,
                          const std::string& note, std::int64_t by, std::int64_t at) override;
  bool set_cluster_verdict(std::int64_t workspace_id, std::int64_t id, const std::string& verdict,
                           const std::string& note, std::int64_t by, std::int64_t at) override;
  std::int64_t count_timed_reports(std::int64_t workspace_id, std::int64_t campaign_id) override;
  std::optional<std::int64_t> nth_time_to_report(std::int64_t workspace_id,
                                                 std::int64_t campaign_id, std::int64_t n) override;

 private:
  Connection& db_;
};
class PgReporters final : public ReportersRepository {
 public:
  explicit PgReporters(Connection& db) : db_(db) {}
  std::optional<std::int64_t> target_with_address(std::int64_t workspace_id,
                                                  std::string_view address) override;
  bool has_target(std::int64_t workspace_id, std::int64_t target_id) override;
  std::vector<std::string> aliases(std::int64_t workspace_id, std::int64_t target_id) override;
  Result<void> replace_aliases(std::int64_t workspace_id, std::int64_t target_id,
                               const std::vector<std::string>& aliases) override;
  std::optional<std::string> rid_with_message_id(std::int64_t workspace_id,
                                                 std::string_view message_id) override;
  std::vector<std::string> organisation_domains(std::int64_t workspace_id, int limit) override;
  bool person_named(std::int64_t workspace_id, std::string_view display_name) override;

 private:
  Connection& db_;
};

class PgReportingMailboxes final : public ReportingMailboxesRepository {
 public:
  explicit PgReportingMailboxes(Connection& db) : db_(db) {}
  Result<ReportingMailbox> create_mailbox(const ReportingMailbox& mailbox,
                                          const std::string& secret_sealed) override;
  Result<void> update_mailbox(const ReportingMailbox& mailbox,
                              const std::string& secret_sealed) override;
  std::optional<ReportingMailbox> find_mailbox(std::int64_t workspace_id, std::int64_t id) override;
  std::optional<std::string> mailbox_secret(std::int64_t workspace_id, std::int64_t id) override;
  Page<ReportingMailbox> list_mailboxes(std::int64_t workspace_id, PageRequest page) override;
  bool delete_mailbox(std::int64_t workspace_id, std::int64_t id) override;
  bool poll_soon(std::int64_t workspace_id, std::int64_t id) override;
  std::vector<MailboxPoll> claim_polls(std::int64_t now, std::int64_t lease_until,
                                       int limit) override;
  bool renew_poll(std::int64_t mailbox_id, std::int64_t lease_until) override;
  void save_position(std::int64_t mailbox_id, std::uint64_t uid_validity,
                     std::uint32_t last_uid) override;
  void finish_poll(std::int64_t mailbox_id, std::int64_t at, std::int64_t next_at,
                   const std::string& error) override;
  bool begin_message(std::int64_t mailbox_id, std::uint64_t uid_validity, std::uint32_t uid,
                     std::int64_t now) override;
  void finish_message(std::int64_t mailbox_id, std::uint64_t uid_validity, std::uint32_t uid,
                      std::int64_t report_id, const std::string& outcome) override;

 private:
  Connection& db_;
};

class PgReportMail final : public ReportMailRepository {
 public:
  explicit PgReportMail(Connection& db) : db_(db) {}
  ReportFeedbackSettings feedback_settings(std::int64_t workspace_id) override;
  void save_feedback_settings(std::int64_t workspace_id,
                              const ReportFeedbackSettings& settings) override;
  void queue_report_mail(std::int64_t workspace_id, std::int64_t report_id, const std::string& kind,
                         std::int64_t send_at) override;
  int queue_cluster_verdict_mail(std::int64_t workspace_id, std::int64_t cluster_id,
                                 std::int64_t send_at) override;
  std::vector<ReportMailJob> claim_report_mail(std::int64_t now, std::int64_t lease_until,
                                               int limit) override;
  bool renew_report_mail_lease(std::int64_t mail_id, std::int64_t lease_until) override;
  void release_report_mail(std::int64_t mail_id) override;
  void mark_report_mail_sent(std::int64_t mail_id, const std::string& message_id,
                             const std::string& sent_verdict, std::int64_t at) override;
  void mark_report_mail_retry(std::int64_t mail_id, std::int64_t next_at,
                              const std::string& error) override;
  void mark_report_mail_failed(std::int64_t mail_id, const std::string& error) override;
  void mark_report_mail_cancelled(std::int64_t mail_id, const std::string& why) override;
  std::vector<ReportMailState> report_mail_of(std::int64_t workspace_id,
                                              std::int64_t report_id) override;
  std::optional<std::int64_t> forwarded_report(std::int64_t workspace_id,
                                               const std::string& message_id) override;

 private:
  Connection& db_;
};

class PgInstallation final : public InstallationRepository {
 public:
  explicit PgInstallation(Connection& db) : db_(db) {}
  std::optional<std::string> key_check() override;
  void record_key_check(std::string_view check) override;

 private:
  Connection& db_;
};

class PgThrottles final : public ThrottlesRepository {
 public:
  explicit PgThrottles(Connection& db) : db_(db) {}
  ThrottleWindow lock_window(std::string_view key) override;
  void save_window(std::string_view key, const ThrottleWindow& window) override;
  void forget_window(std::string_view key) override;
  int forget_idle_windows(std::int64_t now, std::int64_t started_before) override;

 private:
  Connection& db_;
};

// The channel the nodes of one install (one schema) LISTEN on
// (store/postgres/change_listener.h), as an SQL expression: installs in other
// schemas of the same database do not hear each other.
inline constexpr const char* kChangeChannelSql = "'phishdrill_' || left(md5(current_schema()), 16)";

// Announces to this process (after commit, through `pending`) and to every
// other node (NOTIFY, which PostgreSQL delivers only if the transaction commits).
class PgNotices final : public ChangeNotices {
 public:
  PgNotices(Connection& db, PendingNotices& pending) : db_(db), pending_(pending) {}
  void announce(ChangeTopic topic) override;

 private:
  Connection& db_;
  PendingNotices& pending_;
};

// Runs `fn` under a savepoint and maps a unique violation to kConflict on
// `field`, rolling back to the savepoint so the transaction stays usable (a
// failed statement would otherwise abort the whole PostgreSQL transaction).
template <typename Fn>
auto unique_or_conflict(Connection& db, Fn&& fn, const char* field, const char* what)
    -> Result<decltype(fn())> {
  db.exec("SAVEPOINT pd_unique");
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      db.exec("RELEASE SAVEPOINT pd_unique");
      return {};
    } else {
      auto value = fn();
      db.exec("RELEASE SAVEPOINT pd_unique");
      return value;
    }
  } catch (const Failure& failure) {
    if (!failure.is_unique_violation()) throw;
    db.exec("ROLLBACK TO SAVEPOINT pd_unique");
    db.exec("RELEASE SAVEPOINT pd_unique");
    return fail(ErrorCode::kConflict, what, field);
  }
}

// Up to page.limit items read from `rows` (a query that asked for limit + 1
// rows, the extra one telling that another page follows); next_after is the
// id of the last item returned.
template <typename T, typename ReadRow>
Page<T> collect_page(const Rows& rows, int limit, ReadRow read_row) {
  Page<T> page;
  for (int i = 0; i < rows.size(); ++i) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_after = page.items.back().id;
      break;
    }
    page.items.push_back(read_row(Row(rows, i)));
  }
  return page;
}

class PgPhishScale final : public PhishScaleRepository {
 public:
  explicit PgPhishScale(Connection& db) : db_(db) {}
  std::map<std::string, PremiseRatings> premise_answers(std::int64_t workspace_id) override;
  void save_premise_answers(std::int64_t workspace_id, const std::string& category,
                            const PremiseRatings& ratings) override;
  bool delete_premise_answers(std::int64_t workspace_id, const std::string& category) override;
  std::map<std::int64_t, TemplateOutcome> template_outcomes(std::int64_t workspace_id) override;

 private:
  Connection& db_;
};

class PgLibrary final : public LibraryRepository {
 public:
  explicit PgLibrary(Connection& db) : db_(db) {}
  std::vector<ImportedSimulationRow> imported_simulations(std::int64_t workspace_id) override;
  std::optional<SimulationFileMap> imported_simulation_files(std::int64_t workspace_id,
                                                             std::int64_t id) override;
  std::int64_t put_imported_simulation(std::int64_t workspace_id, const ImportedSimulationRow& row,
                                       const SimulationFileMap& files) override;
  bool delete_imported_simulation(std::int64_t workspace_id, const std::string& slug) override;

 private:
  Connection& db_;
};

class PgTrainingImports final : public TrainingImportsRepository {
 public:
  explicit PgTrainingImports(Connection& db) : db_(db) {}
  std::vector<TrainingImportRow> training_imports() override;
  std::optional<std::string> training_import_archive(std::int64_t id) override;
  void put_training_import(const TrainingImportRow& row, const std::string& archive) override;

 private:
  Connection& db_;
};

}  // namespace phishdrill::pg
