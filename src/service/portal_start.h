// The way into the training portal from the teaching page
// ({portal}/start?rid=…): a personal portal link is issued only for a
// recipient of an active campaign with a follow-up who has an open
// assignment — the campaign's own, else their earliest due. An assignment
// has one such link live at a time (a repeat call replaces it); the token
// comes from the TokenSource, is stored only as a hash, and lives for the
// workspace's link_valid_days. Runs its own transactions, so it may not be
// called from inside one. Thread-safe as the store and the token source are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/token_source.h"
#include "store/store.h"

namespace phishdrill::service {

// The new link's token; nullopt when the person has no open assignment.
// kNotFound for an empty or overlong (over 128) rid, an unknown one, or a
// campaign that is not active or has no follow-up.
Result<std::optional<std::string>> issue_start_link(Store& store, const TokenSource& tokens,
                                                    std::string_view rid, std::int64_t now);

}  // namespace phishdrill::service
