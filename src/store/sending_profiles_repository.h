// Port: a workspace's sending profiles. Names are unique per workspace
// (kConflict, field "name"); another workspace's profile behaves as absent.
// The relay password arrives sealed (service/sending_profiles.h seals it) and
// leaves sealed, only through find_sealed_password; profiles read here carry
// has_password and never a password. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/sending_profile.h"
#include "store/page.h"

namespace phishdrill {

class SendingProfilesRepository {
 public:
  virtual ~SendingProfilesRepository() = default;

  // Stores `profile` (its password and has_password are not read) with
  // `password_sealed` ("" = no password).
  virtual Result<SendingProfile> create_profile(std::int64_t workspace_id,
                                                const SendingProfile& profile,
                                                const std::string& password_sealed) = 0;
  virtual std::optional<SendingProfile> find_profile(std::int64_t workspace_id,
                                                     std::int64_t id) = 0;
  virtual Page<SendingProfile> list_profiles(std::int64_t workspace_id, PageRequest page) = 0;
  // Replaces the stored password with `password_sealed` ("" removes it);
  // nullopt keeps it.
  virtual Result<void> update_profile(std::int64_t workspace_id, const SendingProfile& profile,
                                      const std::optional<std::string>& password_sealed) = 0;
  virtual bool delete_profile(std::int64_t workspace_id, std::int64_t id) = 0;
  // The sealed password ("" when none); nullopt for an unknown profile.
  virtual std::optional<std::string> find_sealed_password(std::int64_t workspace_id,
                                                          std::int64_t id) = 0;
};

}  // namespace phishdrill
