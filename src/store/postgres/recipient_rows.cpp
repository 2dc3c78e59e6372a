#include "store/postgres/recipient_rows.h"

namespace phishdrill::pg {

std::string recipient_columns_of(const std::string& alias) {
  return rows::prefixed_columns(kRecipientColumns, alias);
}

}  // namespace phishdrill::pg
