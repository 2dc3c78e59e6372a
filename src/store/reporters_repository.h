// Port: who a reporter is and what a reported message is matched against —
// people's addresses and their other addresses (aliases), the organisation's
// mail domains and names, and the simulation sent with a Message-ID. An
// address names at most one person per workspace (a constraint on aliases;
// a person's own address is checked before an alias is added).
// Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace phishdrill {

class ReportersRepository {
 public:
  virtual ~ReportersRepository() = default;

  // Matching a reporter: the person whose address or alias this is.
  virtual std::optional<std::int64_t> target_with_address(std::int64_t workspace_id,
                                                          std::string_view address) = 0;
  // The person's other addresses; replacing them is kNotFound when the
  // workspace has no such person, kConflict (field "aliases") when one
  // belongs to another person or alias of the workspace.
  virtual bool has_target(std::int64_t workspace_id, std::int64_t target_id) = 0;
  virtual std::vector<std::string> aliases(std::int64_t workspace_id, std::int64_t target_id) = 0;
  virtual Result<void> replace_aliases(std::int64_t workspace_id, std::int64_t target_id,
                                       const std::vector<std::string>& aliases) = 0;
  // What the organisation is, for judging a message: its people's mail
  // domains (the most common first, at most `limit`), and whether someone
  // in it has this display name ("First Last", case-insensitive).
  virtual std::vector<std::string> organisation_domains(std::int64_t workspace_id, int limit) = 0;
  virtual bool person_named(std::int64_t workspace_id, std::string_view display_name) = 0;
  // The rid of the simulation sent with this Message-ID, when there is one.
  virtual std::optional<std::string> rid_with_message_id(std::int64_t workspace_id,
                                                         std::string_view message_id) = 0;
};

}  // namespace phishdrill
