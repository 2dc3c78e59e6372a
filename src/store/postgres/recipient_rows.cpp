#include "store/postgres/recipient_rows.h"

namespace phishdrill::pg {

std::string recipient_columns_of(const std::string& alias) {
  std::string out = alias + ".";
  for (const char c : kRecipientColumns) {
    out += c;
    if (c == ' ') out += alias + ".";
  }
  return out;
}

Recipient read_recipient(const Row& s) {
  Recipient r;
  r.id = s.int64(0);
  r.campaign_id = s.int64(1);
  r.target_id = s.int64(2);
  r.rid = s.text(3);
  r.fields =
      TargetFields{s.text(4), s.text(5), s.text(6), s.text(7), s.text(8), s.text(9), s.text(10)};
  r.variant_id = s.int64(11);
  r.send_at = s.int64(12);
  r.state = parse_send_state(s.text(13)).value_or(SendState::kQueued);
  r.attempts = static_cast<int>(s.int64(14));
  r.message_id = s.text(15);
  r.sent_at = s.int64(16);
  r.last_error = s.text(17);
  r.smtp_code = static_cast<int>(s.int64(18));
  r.status_rank = static_cast<int>(s.int64(19));
  r.first_opened_at = s.int64(20);
  r.first_clicked_at = s.int64(21);
  r.first_submitted_at = s.int64(22);
  r.reported_at = s.int64(23);
  return r;
}

}  // namespace phishdrill::pg
