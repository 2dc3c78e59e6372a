#include "store/sqlite/repository_set.h"

namespace phishdrill::sqlite {

RepositorySet::RepositorySet(const std::string& path, ConnectionRole role, const SecretKey& key)
    : key_(key),
      db_(path, role),
      accounts_(db_),
      sign_ins_(db_),
      sessions_(db_),
      audit_(db_),
      groups_(db_),
      templates_(db_),
      pages_(db_),
      profiles_(db_),
      campaigns_(db_),
      send_queue_(db_),
      events_(db_),
      results_(db_),
      webhooks_(db_, key_),
      training_(db_),
      portal_(db_),
      training_mail_(db_),
      send_rates_(db_),
      throttles_(db_),
      installation_(db_),
      reports_(db_),
      reporters_(db_),
      mailboxes_(db_),
      report_mail_(db_),
      phish_scale_(db_),
      library_(db_),
      training_imports_(db_),
      repositories_{accounts_,      sign_ins_,        sessions_,  audit_,       groups_,
                    templates_,     pages_,           profiles_,  campaigns_,   send_queue_,
                    events_,        results_,         webhooks_,  training_,    portal_,
                    training_mail_, send_rates_,      throttles_, notices_,     installation_,
                    reports_,       reporters_,       mailboxes_, report_mail_, phish_scale_,
                    library_,       training_imports_} {}

}  // namespace phishdrill::sqlite
