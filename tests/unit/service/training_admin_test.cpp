// Training administration through its services (service/assign_module.h,
// service/training_admin.h) on the SQLite store: who may change what,
// another workspace's assignments and groups, the rules of a manual
// assignment, cancel and remind, the report's totals, and the audit entries.
#include "service/training_admin.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service/assign_module.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"
#include "support/test_module.h"

namespace phishdrill {
namespace {

using service::Caller;

constexpr std::int64_t kNow = 1796083200;  // 2026-12-01 00:00 UTC
constexpr std::int64_t kDay = 86400;

class TrainingAdminTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    catalogue_ = testing_support::make_test_catalogue(dir_ / "training");
    write([&](Repositories& repos) {
      ws_ = testing_support::make_test_workspace(repos, {"ann@corp.example", "bob@corp.example"},
                                                 kNow);
      other_ = testing_support::make_other_workspace(repos, "eve@globex.example", kNow);
    });
    operator_ = {
        ws_.audience.workspace_id, 1, Role::kOperator, {"user", 1, "op@corp.example"}, "192.0.2.1"};
  }

  Caller as(Role role) const {
    Caller c = operator_;
    c.role = role;
    return c;
  }

  service::ModuleAssignment to(std::vector<std::int64_t> targets,
                               std::vector<std::int64_t> groups = {}) const {
    return {testing_support::kTestModule, std::move(targets), std::move(groups), kNow + 7 * kDay};
  }

  Result<service::ModuleAssigned> assign(const service::ModuleAssignment& request,
                                         const Caller& caller) {
    return service::assign_module(*store_, *catalogue_, caller, request,
                                  "https://phish.example.com", kNow);
  }

  // The one assignment assign() made for `target`.
  std::int64_t assigned_to(std::int64_t target) {
    auto made = assign(to({target}), operator_);
    EXPECT_TRUE(made.has_value()) << made.error().message;
    auto page = service::list_assignments(*store_, operator_, {}, {0, 50});
    for (const auto& a : page->items) {
      if (a.target.id == target) return a.id;
    }
    ADD_FAILURE() << "no assignment for " << target;
    return 0;
  }

  std::int64_t make_profile() {
    std::int64_t id = 0;
    write([&](Repositories& repos) {
      SendingProfile p;
      p.name = "Relay";
      p.kind = TransportKind::kOutbox;
      p.from = "Security <security@corp.example>";
      p.created_at = p.updated_at = kNow;
      id = repos.profiles.create_profile(ws_.audience.workspace_id, p, "").value().id;
    });
    return id;
  }

  std::vector<AuditEntry> audit_log() {
    std::vector<AuditEntry> entries;
    read([&](Repositories& repos) {
      entries = repos.audit.list(ws_.audience.workspace_id, {0, 100}).items;
    });
    return entries;
  }

  std::shared_ptr<TrainingCatalogue> catalogue_;
  testing_support::TestWorkspace ws_;
  testing_support::TestAudience other_;
  Caller operator_;
};

TEST_F(TrainingAdminTest, AssignsTargetsAndGroupsOnceEachAndAuditsIt) {
  const auto& people = ws_.audience.target_ids;
  auto made = assign(to({people[0]}, {ws_.audience.group_id}), operator_);
  ASSERT_TRUE(made.has_value()) << made.error().message;
  EXPECT_EQ(made->outcome.created, 2);
  EXPECT_EQ(made->outcome.already_assigned, 0);
  EXPECT_FALSE(made->emailed);

  auto again = assign(to({people[1]}), operator_);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->outcome.created, 0);
  EXPECT_EQ(again->outcome.already_assigned, 1);

  const auto log = audit_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.front().action, "assignment.create");
  EXPECT_EQ(log.front().actor.label, "op@corp.example");
  EXPECT_EQ(log.front().ip, "192.0.2.1");
}

TEST_F(TrainingAdminTest, AssignWithARelayQueuesTheNoticeWithThePhishBase) {
  TrainingSettings s;
  s.profile_id = make_profile();
  ASSERT_TRUE(service::update_training_settings(*store_, as(Role::kAdmin), s, kNow));
  const auto id = assigned_to(ws_.audience.target_ids[0]);
  const auto detail = service::assignment_detail(*store_, operator_, id);
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->assignment.portal_base_url, "https://phish.example.com");
  EXPECT_EQ(detail->assignment.profile_id, s.profile_id);
  ASSERT_FALSE(detail->mails.empty());
  EXPECT_EQ(detail->mails.front().kind, "assigned");
}

TEST_F(TrainingAdminTest, AssignRefusesWhatItCannotDo) {
  const auto person = ws_.audience.target_ids[0];
  const auto field_of = [&](service::ModuleAssignment request, Role role = Role::kOperator) {
    const auto made = assign(request, as(role));
    EXPECT_FALSE(made.has_value());
    return made ? std::string("(assigned)") : made.error().field;
  };
  EXPECT_EQ(field_of(to({person}), Role::kViewer), "");
  auto unknown_module = to({person});
  unknown_module.module_slug = "no-such-module";
  EXPECT_EQ(field_of(unknown_module), "module");
  EXPECT_EQ(field_of(to({})), "target_ids");
  auto unreadable = to({person});
  unreadable.due_at = fail(ErrorCode::kValidation, "due_at is required", "due_at");
  EXPECT_EQ(field_of(unreadable), "due_at");
  auto past = to({person});
  past.due_at = kNow;
  EXPECT_EQ(field_of(past), "due_at");
  auto far = to({person});
  far.due_at = kNow + 367 * kDay;
  EXPECT_EQ(field_of(far), "due_at");
  EXPECT_EQ(field_of(to({person}, {other_.group_id})), "group_ids[0]");
  EXPECT_EQ(field_of(to({person, other_.target_ids[0]})), "target_ids[1]");
  EXPECT_TRUE(audit_log().empty());
  auto page = service::list_assignments(*store_, operator_, {}, {0, 50});
  EXPECT_TRUE(page->items.empty());
}

TEST_F(TrainingAdminTest, AnotherWorkspacesAssignmentIsNotFound) {
  const auto id = assigned_to(ws_.audience.target_ids[0]);
  Caller stranger = operator_;
  stranger.workspace_id = other_.workspace_id;
  EXPECT_EQ(service::assignment_detail(*store_, stranger, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service::cancel_assignment(*store_, stranger, id, "x@y", kNow).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(service::remind_assignment(*store_, stranger, id, kNow).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(service::list_assignments(*store_, stranger, {}, {0, 50})->items.empty());
  EXPECT_EQ(service::assignment_detail(*store_, operator_, id + 100).error().code,
            ErrorCode::kNotFound);
}

TEST_F(TrainingAdminTest, CancelOnceNamingWhoAndAuditIt) {
  const auto id = assigned_to(ws_.audience.target_ids[0]);
  EXPECT_EQ(service::cancel_assignment(*store_, as(Role::kViewer), id, "v@corp", kNow).error().code,
            ErrorCode::kForbidden);
  auto cancelled = service::cancel_assignment(*store_, operator_, id, "op@corp.example", kNow);
  ASSERT_TRUE(cancelled.has_value()) << cancelled.error().message;
  EXPECT_EQ(cancelled->status, AssignmentStatus::kCancelled);
  EXPECT_EQ(cancelled->cancel_reason, "cancelled by op@corp.example");
  const auto twice = service::cancel_assignment(*store_, operator_, id, "op@corp.example", kNow);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(twice.error().message, "this assignment is cancelled and cannot be cancelled");
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.front().action, "assignment.cancel");
  EXPECT_EQ(log.front().resource_id, id);
}

TEST_F(TrainingAdminTest, RemindNeedsAnOpenAssignmentWithARelayAndNothingDue) {
  const auto silent = assigned_to(ws_.audience.target_ids[0]);
  const auto no_relay = service::remind_assignment(*store_, operator_, silent, kNow);
  ASSERT_FALSE(no_relay.has_value());
  EXPECT_EQ(no_relay.error().code, ErrorCode::kConflict);

  TrainingSettings s;
  s.profile_id = make_profile();
  ASSERT_TRUE(service::update_training_settings(*store_, as(Role::kAdmin), s, kNow));
  const auto mailed = assigned_to(ws_.audience.target_ids[1]);
  // The notice is still queued to go now: a reminder now would be a second email.
  const auto busy = service::remind_assignment(*store_, operator_, mailed, kNow);
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().message, "an email to this person is already on its way");

  ASSERT_TRUE(service::cancel_assignment(*store_, operator_, mailed, "op", kNow));
  const auto closed = service::remind_assignment(*store_, operator_, mailed, kNow);
  ASSERT_FALSE(closed.has_value());
  EXPECT_EQ(closed.error().message,
            "this assignment is cancelled: there is nothing to remind about");
}

TEST_F(TrainingAdminTest, SettingsNeedTheAdminRoleAndAProfileOfTheWorkspace) {
  TrainingSettings s;
  s.remind_days_before = 5;
  EXPECT_EQ(service::update_training_settings(*store_, operator_, s, kNow).error().code,
            ErrorCode::kForbidden);
  s.profile_id = 999;
  const auto unknown = service::update_training_settings(*store_, as(Role::kAdmin), s, kNow);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().field, "profile_id");
  s.profile_id = make_profile();
  ASSERT_TRUE(service::update_training_settings(*store_, as(Role::kAdmin), s, kNow));
  const auto saved = service::training_settings(*store_, as(Role::kViewer));
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->remind_days_before, 5);
  EXPECT_EQ(saved->profile_id, s.profile_id);
  ASSERT_EQ(audit_log().size(), 1u);
  EXPECT_EQ(audit_log().front().action, "training_settings.update");
  Caller stranger = as(Role::kAdmin);
  stranger.workspace_id = other_.workspace_id;
  EXPECT_EQ(service::training_settings(*store_, stranger)->profile_id, 0);
}

TEST_F(TrainingAdminTest, ReportTotalsAndAnUnknownGroup) {
  assigned_to(ws_.audience.target_ids[0]);
  const auto report = service::training_report(*store_, operator_, ws_.audience.group_id, kNow);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->totals.people, 2);
  EXPECT_EQ(report->totals.people_assigned, 1);
  EXPECT_EQ(report->totals.assigned, 1);
  EXPECT_EQ(report->totals.completed, 0);
  EXPECT_EQ(report->totals.completion_rate, 0.0);

  const auto foreign = service::training_report(*store_, operator_, other_.group_id, kNow);
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().field, "group_id");

  std::vector<std::int64_t> seen;
  ASSERT_TRUE(service::for_each_reported_assignment(
      *store_, operator_, 0, kNow, [&](const Assignment& a) { seen.push_back(a.target.id); }));
  EXPECT_EQ(seen, std::vector<std::int64_t>{ws_.audience.target_ids[0]});
  EXPECT_FALSE(service::for_each_reported_assignment(*store_, operator_, other_.group_id, kNow,
                                                     [](const Assignment&) {}));
}

TEST_F(TrainingAdminTest, ImportNeedsTheAdminRoleAndAnArchive) {
  const auto viewer = service::import_training_module(*store_, *catalogue_, operator_, "x", kNow);
  ASSERT_FALSE(viewer.has_value());
  EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);
  const auto junk =
      service::import_training_module(*store_, *catalogue_, as(Role::kAdmin), "not a tar", kNow);
  ASSERT_FALSE(junk.has_value());
  EXPECT_EQ(junk.error().code, ErrorCode::kValidation);
  EXPECT_TRUE(audit_log().empty());
}

}  // namespace
}  // namespace phishdrill
