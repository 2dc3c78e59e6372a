// A reported message as the triage inbox shows it: its HTML body with every
// active part removed (mail/html_sanitizer.h) and every link pointed nowhere,
// or its text in a <pre> when it has no HTML. Meant to be served with a CSP
// that loads nothing (no remote images, no scripts) into an iframe sandbox:
// looking at a phish must not tell its sender anything. kNotFound when the
// report is unknown or its original was dropped. Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/secret_key.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

Result<std::string> render_reported_message(Store& store, const SecretKey& key,
                                            const Caller& caller, std::int64_t id);

}  // namespace phishdrill::service
