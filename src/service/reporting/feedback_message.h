// The emails a report causes, written out (service/reporting/report_feedback.h
// says when): the reporter's acknowledgement or verdict from the workspace's
// texts, and the forward of a button report to the reporting mailbox with
// the original attached as message/rfc822. Feedback carries
// "Auto-Submitted" (RFC 3834) and asks Exchange not to auto-reply, so no
// out-of-office answer comes back; an acknowledgement of a report nothing
// could be read from also says how to report instead. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/error.h"
#include "core/report_feedback.h"
#include "core/sending_profile.h"
#include "mail/outgoing_message.h"
#include "store/report_mail_repository.h"

namespace phishdrill::service {

// Which text an "acknowledge" or "verdict" email of this report uses;
// nullopt when there is nothing to tell (a verdict email of a report with
// no verdict).
std::optional<FeedbackKind> feedback_text_for(const std::string& mail_kind, const Report& report);

// Fails (kValidation) when the profile's From is not a mailbox.
Result<OutgoingMessage> build_feedback_mail(const ReportPerson& person, const Report& report,
                                            const FeedbackText& text,
                                            const SendingProfile& profile);

// `original` is the reported message as received.
Result<OutgoingMessage> build_forward_mail(const Report& report, const std::string& forward_to,
                                           const std::string& original,
                                           const SendingProfile& profile);

}  // namespace phishdrill::service
