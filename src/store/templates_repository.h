// Port: email templates, landing pages and sending profiles — the reusable
// parts of a campaign. Names are unique per workspace (kConflict, field
// "name"). Sending-profile passwords are sealed at rest by the adapter and
// come back opened only through find_profile_secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/email_template.h"
#include "core/error.h"
#include "core/landing_page.h"
#include "core/sending_profile.h"
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

  virtual Result<LandingPage> create_page(std::int64_t workspace_id, const LandingPage& page) = 0;
  virtual std::optional<LandingPage> find_page(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<LandingPage> list_pages(std::int64_t workspace_id, PageRequest page) = 0;
  virtual Result<void> update_page(std::int64_t workspace_id, const LandingPage& page) = 0;
  virtual bool delete_page(std::int64_t workspace_id, std::int64_t id) = 0;

  // `profile.password` is sealed when has_password; returned profiles carry
  // has_password but an empty password.
  virtual Result<SendingProfile> create_profile(std::int64_t workspace_id,
                                                const SendingProfile& profile) = 0;
  virtual std::optional<SendingProfile> find_profile(std::int64_t workspace_id,
                                                     std::int64_t id) = 0;
  virtual Page<SendingProfile> list_profiles(std::int64_t workspace_id, PageRequest page) = 0;
  // Keeps the stored password when `keep_password` is true.
  virtual Result<void> update_profile(std::int64_t workspace_id, const SendingProfile& profile,
                                      bool keep_password) = 0;
  virtual bool delete_profile(std::int64_t workspace_id, std::int64_t id) = 0;
  // The opened password, for the transport only.
  virtual std::optional<std::string> find_profile_secret(std::int64_t workspace_id,
                                                         std::int64_t id) = 0;
};

}  // namespace phishdrill
