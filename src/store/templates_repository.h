// Port: a workspace's email templates. Names are unique per workspace
// (kConflict, field "name"); another workspace's template behaves as absent.
// Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>

#include "core/email_template.h"
#include "core/error.h"
#include "store/page.h"

namespace phishdrill {

class TemplatesRepository {
 public:
  virtual ~TemplatesRepository() = default;

  virtual Result<EmailTemplate> create_template(std::int64_t workspace_id,
                                                const EmailTemplate& tmpl) = 0;
  virtual std::optional<EmailTemplate> find_template(std::int64_t workspace_id,
                                                     std::int64_t id) = 0;
  virtual Page<EmailTemplate> list_templates(std::int64_t workspace_id, PageRequest page) = 0;
  virtual Result<void> update_template(std::int64_t workspace_id, const EmailTemplate& tmpl) = 0;
  virtual bool delete_template(std::int64_t workspace_id, std::int64_t id) = 0;
};

}  // namespace phishdrill
