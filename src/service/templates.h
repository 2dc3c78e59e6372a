// Templates: the caller's library of email templates — list, get, create,
// update and delete. Contract: a template that is not the caller's is
// kNotFound; names are unique per workspace (kConflict, the store's
// constraint); templates given to create and update already passed
// validate_email_template. Each change is dated by the clock and audited in
// its own transaction. Thread-safe.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/email_template.h"
#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"

namespace phishdrill::service {

class Templates {
 public:
  Templates(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<Page<EmailTemplate>> list(const Caller& caller, PageRequest page);
  Result<EmailTemplate> get(const Caller& caller, std::int64_t id);
  Result<EmailTemplate> create(const Caller& caller, EmailTemplate t);
  // Keeps the template's id and created_at; everything else is `t`.
  Result<EmailTemplate> update(const Caller& caller, std::int64_t id, EmailTemplate t);
  Result<void> remove(const Caller& caller, std::int64_t id);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace phishdrill::service
