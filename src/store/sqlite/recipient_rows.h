// Reading recipient rows: the column list every recipient query selects, in
// the order read_recipient expects. Shared by the campaign, send-queue and
// results adapters. Pure; thread-compatible.
#pragma once

#include "core/recipient.h"
#include "store/row_readers.h"
#include "store/sqlite/connection.h"

namespace phishdrill::sqlite {

inline constexpr const char* kRecipientColumns =
    "id, campaign_id, target_id, rid, email, first_name, last_name, position, department, "
    "manager_email, locale, variant_id, send_at, state, attempts, message_id, sent_at, "
    "last_error, smtp_code, status_rank, first_opened_at, first_clicked_at, first_submitted_at, "
    "reported_at";

using rows::read_recipient;

}  // namespace phishdrill::sqlite
