// The demo workspace: a few targets in a group, an email template, a landing
// page and an outbox sending profile (also used for training emails), added
// once to the first workspace so a new user can try Phishdrill straight away.
// Idempotent.
#pragma once

#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace phishdrill::app {

// Returns true when it added the demo content, false when it was there already.
Result<bool> seed_demo_workspace(Store& store, const Clock& clock);

}  // namespace phishdrill::app
