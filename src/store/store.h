// Store: the persistence port. All reads and writes happen inside a
// transaction callback that receives the repositories; a write callback that
// returns an Error (or throws inside the adapter) is rolled back whole.
// Thread-safe. A transaction is atomic (all of it commits or none does) and
// sees its own writes; it need not be serialisable against concurrent ones,
// so a check-then-write must not rely on isolation: uniqueness is enforced by
// constraints (kConflict) and state changes by conditional updates whose
// outcome the repository reports (see each method). Several processes may
// share one store (PostgreSQL): what they must agree on lives in it (leases,
// send slots, throttle windows), and their caches follow its change notices.
#pragma once

#include <functional>
#include <string>

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

namespace phishdrill {

struct Repositories {
  AccountsRepository& accounts;
  SignInsRepository& sign_ins;
  SessionsRepository& sessions;
  AuditRepository& audit;
  GroupsRepository& groups;
  TemplatesRepository& templates;
  LandingPagesRepository& pages;
  SendingProfilesRepository& profiles;
  CampaignsRepository& campaigns;
  SendQueueRepository& send_queue;
  EventsRepository& events;
  ResultsRepository& results;
  WebhooksRepository& webhooks;
  TrainingRepository& training;
  PortalRepository& portal;
  TrainingMailQueueRepository& training_mail;
  SendRatesRepository& send_rates;
  ThrottlesRepository& throttles;
  ChangeNotices& notices;
  InstallationRepository& installation;
  ReportsRepository& reports;
  ReportersRepository& reporters;
  ReportingMailboxesRepository& mailboxes;
  ReportMailRepository& report_mail;
  PhishScaleRepository& phish_scale;
  LibraryRepository& library;
  TrainingImportsRepository& training_imports;
};

class Store {
 public:
  using Work = std::function<Result<void>(Repositories&)>;
  virtual ~Store() = default;
  virtual Result<void> write(const Work& work) = 0;
  virtual Result<void> read(const Work& work) = 0;
  // Applies pending schema migrations; returns how many ran.
  virtual Result<int> migrate() = 0;
  // What this process has heard of committed changes (store/change_notices.h).
  virtual const ChangeGenerations& generations() const = 0;
};

}  // namespace phishdrill
