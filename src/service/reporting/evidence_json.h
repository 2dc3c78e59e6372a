// The evidence of a reported message as the triage inbox shows and exports
// it (JSON): the headers an analyst checks, the findings with their points,
// every link with its shown text and real (unwrapped) target, attachments
// with their digests, and the indicators (URLs, domains, hashes, sender).
// Texts are cut to bounded lengths on character boundaries. Pure.
#pragma once

#include <string>

#include "core/report_evidence.h"
#include "core/reported_message.h"

namespace phishdrill::service {

std::string evidence_json(const ReportedMessage& message, const Evidence& evidence);

}  // namespace phishdrill::service
