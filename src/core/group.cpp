#include "core/group.h"

#include "core/text_rules.h"

namespace phishdrill {

Result<std::string> validate_group_name(std::string_view name) {
  std::string trimmed = trim(name);
  if (auto ok = check_line(trimmed, "name", 200, true); !ok) return std::unexpected(ok.error());
  return trimmed;
}

}  // namespace phishdrill
