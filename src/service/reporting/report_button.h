// The report button's per-workspace credentials: the token in the add-in's
// URLs (the workspace's id and a MAC of it under the installation's key, so
// any node with the same key checks it without a lookup; compared in
// constant time), and the add-in's stable id (a UUID derived the same way).
// What a person is told after reporting through it. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/secret_key.h"

namespace phishdrill::service {

std::string report_button_token(const SecretKey& key, std::int64_t workspace_id);

// The workspace a token belongs to; nullopt for anything else.
std::optional<std::int64_t> report_button_workspace(const SecretKey& key, std::string_view token);

// "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx", the same for a workspace every time.
std::string report_button_addin_id(const SecretKey& key, std::int64_t workspace_id);

// The sentence the add-in shows after a report with this outcome
// (service/reporting/ingest_report.h IngestedReport::outcome).
std::string report_button_message(std::string_view outcome);

}  // namespace phishdrill::service
