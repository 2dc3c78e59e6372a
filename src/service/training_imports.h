// Training modules imported on any node reach every node. The catalogue
// (training/catalogue.h) lives on each node's disk; the store keeps every
// import's archive (store/training_imports_repository.h) and announces new
// ones (ChangeTopic::kTrainingModules), so:
//  - record_training_import: after an import into this node's catalogue,
//    stores its archive (replacing an older version's) and announces it,
//    audited as training_module.import, in one transaction;
//  - sync_training_imports: installs on this node every stored import newer
//    than what its catalogue has for that workspace and slug; one this node
//    refuses (a newer node's format) is logged and skipped. Returns how many
//    it installed;
//  - publish_local_training_imports: stores the imports found on this
//    node's disk that the store lacks or has older (imports made before they
//    were stored, or a row lost to a failed write). Returns how many.
// TrainingImportSync runs both for a node: at start, then whenever the
// topic's generation has moved. Thread-safe as the ports and the catalogue.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::service {

Result<void> record_training_import(Store& store, const Caller& caller,
                                    const TrainingModule& module, std::string_view archive,
                                    std::int64_t now);
Result<int> sync_training_imports(Store& store, TrainingCatalogue& catalogue);
Result<int> publish_local_training_imports(Store& store, TrainingCatalogue& catalogue,
                                           std::int64_t now);

class TrainingImportSync {
 public:
  TrainingImportSync(Store& store, TrainingCatalogue& catalogue, const Clock& clock)
      : store_(store), catalogue_(catalogue), clock_(clock) {}

  // At start: publishes this node's imports, then installs the store's.
  void start();
  // Installs the store's imports when the topic moved since the last run.
  void run_if_changed();

 private:
  Store& store_;
  TrainingCatalogue& catalogue_;
  const Clock& clock_;
  std::optional<std::uint64_t> seen_;  // the generation last synced; none before start()
};

}  // namespace phishdrill::service
