// The emails of a training assignment: the notice ("assigned"), the reminder
// before the due date and the overdue reminders. Each carries the person's
// personal portal link, says why the training was assigned, when it is due,
// how long it takes, and when the link expires. Sent from the profile's From
// address. When overdue reminders involve the manager, the manager gets a
// message of their own without the personal link (so nobody else can take the
// training in the person's name), and the person's reminder says the manager
// was told. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/assignment.h"
#include "core/error.h"
#include "core/sending_profile.h"
#include "mail/outgoing_message.h"

namespace phishdrill::service {

struct TrainingMailInput {
  std::string kind;  // "assigned", "reminder" or "overdue"
  Assignment assignment;
  std::string module_title;
  int module_minutes = 0;
  std::string portal_url;  // the person's personal link
  std::int64_t link_expires_at = 0;
  bool manager_informed = false;  // the manager also gets build_manager_notice()
};

// Fails (kValidation) when the profile's From is not a valid mailbox.
Result<OutgoingMessage> build_training_mail(const TrainingMailInput& input,
                                            const SendingProfile& profile);
// To the person's manager: the training is overdue; no link, nothing to click.
Result<OutgoingMessage> build_manager_notice(const TrainingMailInput& input,
                                             const SendingProfile& profile);

}  // namespace phishdrill::service
