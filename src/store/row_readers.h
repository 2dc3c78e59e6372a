// Row readers shared by the SQLite and PostgreSQL adapters: each builds a
// domain value from one result row whose columns come in the order of the
// adapter's column list (kRecipientColumns, assignment_columns()). `Row` is
// any row with int64(i), text(i), boolean(i) and is_null(i) (sqlite::Statement,
// pg::Row). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/assignment.h"
#include "core/recipient.h"
#include "store/events_repository.h"

namespace phishdrill::rows {

// "a, b, c" with each name qualified by `prefix` ("p.a, p.b, p.c"); the list
// as it is when `prefix` is empty.
std::string prefixed_columns(std::string_view columns, std::string_view prefix);

template <typename Row>
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

// A tracking id's recipient and campaign: r.id, r.campaign_id,
// r.workspace_id, r.variant_id, c.page_id, r.sent_at, c.status, c.base_url,
// r.email, r.first_name, r.last_name, r.position, r.department, r.target_id,
// and whether the campaign assigns follow-up training.
template <typename Row>
RidInfo read_rid_info(const Row& s) {
  RidInfo info;
  info.recipient_id = s.int64(0);
  info.campaign_id = s.int64(1);
  info.workspace_id = s.int64(2);
  info.variant_id = s.int64(3);
  info.page_id = s.int64(4);
  info.sent_at = s.int64(5);
  info.campaign_status = parse_campaign_status(s.text(6)).value_or(CampaignStatus::kDraft);
  info.base_url = s.text(7);
  info.fields.email = s.text(8);
  info.fields.first_name = s.text(9);
  info.fields.last_name = s.text(10);
  info.fields.position = s.text(11);
  info.fields.department = s.text(12);
  info.target_id = s.int64(13);
  info.has_follow_up = s.boolean(14);
  return info;
}

// From the row's columns starting at `first`.
template <typename Row>
Assignment read_assignment(const Row& s, int first = 0) {
  Assignment a;
  int c = first;
  a.id = s.int64(c++);
  a.target.id = s.int64(c++);
  a.target.email = s.text(c++);
  a.target.first_name = s.text(c++);
  a.target.last_name = s.text(c++);
  a.target.department = s.text(c++);
  a.target.manager_email = s.text(c++);
  a.module_slug = s.text(c++);
  a.reason = s.text(c++);
  a.campaign_id = s.int64(c++);
  a.profile_id = s.int64(c++);
  a.portal_base_url = s.text(c++);
  a.assigned_at = s.int64(c++);
  a.due_at = s.int64(c++);
  a.status = parse_assignment_status(s.text(c++)).value_or(AssignmentStatus::kAssigned);
  a.started_at = s.int64(c++);
  a.completed_at = s.int64(c++);
  if (!s.is_null(c)) a.score = static_cast<int>(s.int64(c));
  ++c;
  if (!s.is_null(c)) a.passed = s.boolean(c);
  ++c;
  a.module_version = static_cast<int>(s.int64(c++));
  a.attempts = static_cast<int>(s.int64(c++));
  a.reminders_sent = static_cast<int>(s.int64(c++));
  a.cancel_reason = s.text(c++);
  return a;
}

}  // namespace phishdrill::rows
