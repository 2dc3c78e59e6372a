// Reading recipient rows: the column list every recipient query selects, in
// the order read_recipient expects. Shared by the campaign, send-queue and
// results adapters. Pure; thread-compatible.
#pragma once

#include <string>

#include "core/recipient.h"
#include "store/postgres/connection.h"
#include "store/row_readers.h"

namespace phishdrill::pg {

inline const std::string kRecipientColumns =
    "id, campaign_id, target_id, rid, email, first_name, last_name, position, department, "
    "manager_email, locale, variant_id, send_at, state, attempts, message_id, sent_at, "
    "last_error, smtp_code, status_rank, first_opened_at, first_clicked_at, first_submitted_at, "
    "reported_at";

// kRecipientColumns, each qualified by `alias` ("r.id, r.campaign_id, …"),
// for statements where another table has a column of the same name.
std::string recipient_columns_of(const std::string& alias);

using rows::read_recipient;

}  // namespace phishdrill::pg
