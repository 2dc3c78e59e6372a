// A group of targets (a mailing list for campaigns). Plain data.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace phishdrill {

struct Group {
  std::int64_t id = 0;
  std::string name;
  std::int64_t target_count = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Trims and checks a group name (required, at most 200 characters, UTF-8,
// no control characters). Field "name".
Result<std::string> validate_group_name(std::string_view name);

}  // namespace phishdrill
