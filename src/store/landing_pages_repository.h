// Port: a workspace's landing pages. Names are unique per workspace
// (kConflict, field "name"); another workspace's page behaves as absent.
// Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <optional>

#include "core/error.h"
#include "core/landing_page.h"
#include "store/page.h"

namespace phishdrill {

class LandingPagesRepository {
 public:
  virtual ~LandingPagesRepository() = default;

  virtual Result<LandingPage> create_page(std::int64_t workspace_id, const LandingPage& page) = 0;
  virtual std::optional<LandingPage> find_page(std::int64_t workspace_id, std::int64_t id) = 0;
  virtual Page<LandingPage> list_pages(std::int64_t workspace_id, PageRequest page) = 0;
  virtual Result<void> update_page(std::int64_t workspace_id, const LandingPage& page) = 0;
  virtual bool delete_page(std::int64_t workspace_id, std::int64_t id) = 0;
};

}  // namespace phishdrill
