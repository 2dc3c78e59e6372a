// The employee training portal on the phish server, under `path` (default
// /learn). A person reaches it through a personal link {path}/{token} from an
// assignment or reminder email (the token is random, stored only as a hash,
// and expires), or from the teaching page through {path}/start?{rid}=…, which
// issues such a link — only for a campaign with a follow-up and a person with
// an open assignment, one live link per assignment (a repeat call replaces
// it), rate-limited per client address. Pages: the person's
// assignments → a module's lessons → the quiz → the graded result with
// explanations → a printable certificate. Answers are graded on the server;
// each quiz form carries a one-time nonce, so a second submission of the same
// form, another person's token, an expired link or a forged answer set is
// refused with a page saying so. The rules are service/learner_portal.h's
// and service/portal_start.h's; these handlers read the request and draw the
// page. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/token_source.h"
#include "net/router.h"
#include "store/store.h"
#include "training/catalogue.h"

namespace phishdrill::phish {

struct PortalSettings {
  std::string path = "/learn";
  std::string rid_parameter = "rid";
  int start_per_minute = 10;  // {path}/start calls per client address
};

// `tokens` mints the personal links' tokens and the quiz forms' nonces.
void add_portal_routes(net::Router& router, Store& store, const Clock& clock,
                       const TokenSource& tokens,
                       std::shared_ptr<const TrainingCatalogue> catalogue, PortalSettings settings);

}  // namespace phishdrill::phish
