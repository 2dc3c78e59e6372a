// Port: facts about the installation as a whole, one row for every node that
// shares the store: today the check value of its secret key
// (service/installation_key.h). Used only inside a Store transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace phishdrill {

class InstallationRepository {
 public:
  virtual ~InstallationRepository() = default;
  // The key check recorded by the first node to start; nullopt before.
  virtual std::optional<std::string> key_check() = 0;
  // Records `check` unless one is recorded already (then changes nothing).
  virtual void record_key_check(std::string_view check) = 0;
};

}  // namespace phishdrill
