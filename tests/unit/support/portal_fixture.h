// PortalFixture: a store with what the training portal needs, for the portal
// service and handler tests. Workspace "Acme" with ann and bob, an active
// campaign (its follow-up assigns the test module on a click; rids
// test_rid(campaign_, i)), and an open campaign assignment of the test
// module for ann (ann_assignment_); a second workspace with eve and her own
// assignment (eve_assignment_). link() mints a personal link the way the
// training emails do. Time is clock_, tokens come from tokens_.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "crypto/sodium.h"
#include "support/fakes.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"
#include "support/test_module.h"

namespace phishdrill::testing_support {

class PortalFixture : public StoreFixture {
 protected:
  static constexpr std::int64_t kStart = 1796083200;  // 2026-12-01 00:00 UTC
  static constexpr std::int64_t kDay = 86400;

  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    catalogue_ = make_test_catalogue(dir_ / "training");
    write([&](Repositories& repos) {
      acme_ = make_test_workspace(repos, {"ann@corp.example", "bob@corp.example"}, kStart);
      globex_ = make_other_workspace(repos, "eve@globex.example", kStart);
      campaign_ = launch_test_campaign(repos, acme_.audience, acme_.tmpl, "Payroll",
                                       FollowUp{kTestModule, "clicked", 7}, kStart);
    });
    ann_assignment_ = assign(acme_.audience, 0, kTestModule, campaign_);
    eve_assignment_ = assign(globex_, 0, kTestModule, 0);
  }

  // Assigns `module` to the audience's `index`th person; returns the assignment's id.
  std::int64_t assign(const TestAudience& audience, std::size_t index, const std::string& module,
                      std::int64_t campaign_id) {
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      NewAssignments request;
      request.target_ids = {audience.target_ids[index]};
      request.module_slug = module;
      request.reason = campaign_id != 0 ? "campaign" : "manual";
      request.campaign_id = campaign_id;
      request.due_at = clock_.now() + 7 * kDay;
      request.now = clock_.now();
      id = repos.training
               .insert_assignment(audience.workspace_id, audience.target_ids[index], request)
               .value_or(0);
    });
    EXPECT_NE(id, 0);
    return id;
  }

  // A personal link for the audience's `index`th person, valid for `days`.
  std::string link(const TestAudience& audience, std::size_t index, std::int64_t days = 30) {
    const std::string token = tokens_.token(32);
    write([&](Repositories& repos) {
      repos.portal.create_portal_link(audience.workspace_id, audience.target_ids[index],
                                      crypto::hash_token(token), clock_.now(),
                                      clock_.now() + days * kDay);
    });
    return token;
  }

  // Ann's assignment as the store has it now.
  Assignment stored_for_ann() {
    Assignment a;
    read([&](Repositories& repos) {
      a = repos.training.find_assignment(acme_.audience.workspace_id, ann_assignment_)
              .value_or(Assignment{});
    });
    return a;
  }

  FakeClock clock_{kStart};
  FakeTokens tokens_;
  std::shared_ptr<TrainingCatalogue> catalogue_;
  TestWorkspace acme_;
  TestAudience globex_;
  std::int64_t campaign_ = 0;
  std::int64_t ann_assignment_ = 0;
  std::int64_t eve_assignment_ = 0;
};

}  // namespace phishdrill::testing_support
