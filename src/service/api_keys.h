// API keys: how scripts call the admin API. A workspace's admins create keys
// (a fresh "pd_" secret from the TokenSource, shown once and stored only as
// its hash; never more privilege than the creator's), list and revoke them,
// each change audited. A key presented to the API acts as its user with the
// lesser of the key's and the user's role. kForbidden for callers who are
// not admins; a key of another workspace is kNotFound. Each function opens
// its own transaction. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/token_source.h"
#include "core/user.h"
#include "service/caller.h"
#include "service/sessions.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::service {

struct NewApiKey {
  std::string name;
  std::optional<Role> role;  // the caller's role when absent
};

struct CreatedApiKey {
  ApiKey key;
  std::string secret;  // the only time it is seen
};

// kValidation for a blank or long name (field "name") or a role above the
// caller's (field "role").
Result<CreatedApiKey> create_api_key(Store& store, const TokenSource& tokens, const Caller& caller,
                                     const NewApiKey& request, std::int64_t now);

Result<Page<ApiKey>> list_api_keys(Store& store, const Caller& caller, PageRequest page);

// Audited as "api_key.delete".
Result<void> revoke_api_key(Store& store, const Caller& caller, std::int64_t id, std::int64_t now);

// The key's owner, marking the key used (at most once a minute).
// kUnauthorized "the API key is not valid" for a revoked or unknown key.
Result<Identity> authenticate_api_key(Store& store, std::string_view secret, std::int64_t now);

}  // namespace phishdrill::service
