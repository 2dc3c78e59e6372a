// A campaign's follow-up training, kept in step with a recipient's result:
// when the result reaches the follow-up's trigger (a click or a submission),
// the person is assigned the module once — or the assignment withdrawn
// earlier is reopened; when the result falls below it (the click turned out
// to be a scanner's), an assignment not yet started is withdrawn with its
// emails. Runs inside the caller's transaction. Thread-compatible.
#pragma once

#include <cstdint>

#include "store/store.h"

namespace phishdrill::service {

// Why a withdrawn assignment was cancelled (shown to the person and the admin).
inline constexpr const char* kWithdrawnReason =
    "the click that assigned it was re-classified as automated";

// The recipient's result rank changed to `rank` at `at`.
void follow_up_result(Repositories& repos, std::int64_t recipient_id, int rank, std::int64_t at);

}  // namespace phishdrill::service
