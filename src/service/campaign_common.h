// Pieces the campaign use cases share: the view of a campaign they answer
// with, loading a campaign of the caller's workspace, and the checks a
// campaign's settings must pass against the workspace (every id it names
// exists there, its follow-up module is in the catalogue). Called inside the
// use case's own transaction. Thread-compatible.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/campaign.h"
#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::service {

// A campaign with its send counts and human results, and the phase shown to
// people at the time the view was taken ("draft", "scheduled", "sending" …).
struct CampaignView {
  Campaign campaign;
  RecipientCounts counts;
  ResultCounts results;
  std::string_view phase;
};

// The view of `c` as of `now` (counts and results read through `repos`).
CampaignView view_of(Repositories& repos, const Campaign& c, std::int64_t now);
// The view of a campaign that has no recipients yet (a draft).
CampaignView draft_view(const Campaign& c, std::int64_t now);

// The caller's campaign `id`; kNotFound when it is absent or not theirs.
Result<Campaign> find_campaign(Repositories& repos, const Caller& caller, std::int64_t id);

// Holds `c` (as read in this transaction) in its stored status until the
// transaction ends: a conditional update that rewrites the same values, so a
// concurrent change of status (a launch) either waits for this transaction
// or has already won, and then this returns false. Whatever the isolation, a
// change checked against the status it read cannot land on another status.
bool hold_status(Repositories& repos, const Campaign& c);

// Every template, group, landing page and profile `c` names must exist in
// workspace `ws` (kValidation naming the field).
Result<void> check_references(Repositories& repos, std::int64_t ws, const Campaign& c);

// A follow-up's module must be one the workspace sees in `training`
// (kValidation, field "follow_up.module").
Result<void> check_follow_up(const TrainingCatalogue& training, std::int64_t ws, const Campaign& c);

}  // namespace phishdrill::service
