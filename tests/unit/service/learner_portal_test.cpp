// The training portal's use cases (service/portal_start.h,
// service/learner_portal.h) on the SQLite store: the start link from a
// rid, personal links that are unknown or expired, assignments that are not
// the person's, lessons, and the quiz — graded pass and fail, one
// submission per form, and no second completion.
#include "service/learner_portal.h"

#include <gtest/gtest.h>

#include "crypto/sodium.h"
#include "service/portal_start.h"
#include "support/portal_fixture.h"

namespace phishdrill {
namespace {

using service::PortalRefusal;

class LearnerPortalTest : public testing_support::PortalFixture {
 protected:
  void SetUp() override {
    PortalFixture::SetUp();
    if (HasFatalFailure()) return;
    portal_ = std::make_unique<service::LearnerPortal>(*store_, catalogue_, tokens_);
    ann_ = link(acme_.audience, 0);
  }

  template <typename T>
  static PortalRefusal refusal(const service::PortalResult<T>& result) {
    EXPECT_FALSE(result.has_value());
    return result ? PortalRefusal::kUnavailable : result.error().reason;
  }

  Result<std::optional<std::string>> start(std::size_t index) {
    return service::issue_start_link(*store_, tokens_, testing_support::test_rid(campaign_, index),
                                     clock_.now());
  }

  service::PortalResult<service::GradedQuiz> answer(
      const std::map<std::string, std::set<int>>& answers) {
    const auto form = portal_->open_quiz(ann_, ann_assignment_, clock_.now());
    EXPECT_TRUE(form.has_value());
    if (!form) return std::unexpected(form.error());
    return portal_->submit_quiz(ann_, ann_assignment_, {form->nonce, answers, ""}, clock_.now());
  }

  std::vector<QuizAttempt> attempts() {
    std::vector<QuizAttempt> out;
    read([&](Repositories& repos) { out = repos.training.attempts_of(ann_assignment_); });
    return out;
  }

  std::unique_ptr<service::LearnerPortal> portal_;
  std::string ann_;  // ann's personal link
};

TEST_F(LearnerPortalTest, StartIssuesALinkForTheCampaignsAssignmentAndReplacesIt) {
  const auto first = start(0);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  ASSERT_TRUE(first->has_value());
  const auto home = portal_->home(**first, clock_.now());
  ASSERT_TRUE(home.has_value());
  EXPECT_EQ(home->link.target_id, acme_.audience.target_ids[0]);

  const auto second = start(0);
  ASSERT_TRUE(second.has_value() && second->has_value());
  EXPECT_NE(**second, **first);
  EXPECT_EQ(refusal(portal_->home(**first, clock_.now())), PortalRefusal::kUnknownLink);
  EXPECT_TRUE(portal_->home(**second, clock_.now()).has_value());
}

TEST_F(LearnerPortalTest, StartRefusesUnknownRidsAndHasNothingWithoutAnOpenAssignment) {
  for (const std::string& rid :
       {std::string(), std::string("rid-unknown"), std::string(129, 'r')}) {
    const auto issued = service::issue_start_link(*store_, tokens_, rid, clock_.now());
    ASSERT_FALSE(issued.has_value()) << rid;
    EXPECT_EQ(issued.error().code, ErrorCode::kNotFound);
  }
  const auto bob = start(1);  // bob has no assignment
  ASSERT_TRUE(bob.has_value());
  EXPECT_FALSE(bob->has_value());
}

TEST_F(LearnerPortalTest, StartNeedsACampaignWithAFollowUp) {
  std::int64_t plain = 0;
  write([&](Repositories& repos) {
    plain = testing_support::launch_test_campaign(repos, acme_.audience, acme_.tmpl, "Plain",
                                                  std::nullopt, clock_.now());
  });
  const auto issued = service::issue_start_link(*store_, tokens_,
                                                testing_support::test_rid(plain, 0), clock_.now());
  ASSERT_FALSE(issued.has_value());
  EXPECT_EQ(issued.error().code, ErrorCode::kNotFound);
}

TEST_F(LearnerPortalTest, UnknownAndExpiredLinksAreRefused) {
  EXPECT_EQ(refusal(portal_->home("short", clock_.now())), PortalRefusal::kUnknownLink);
  EXPECT_EQ(refusal(portal_->home(std::string(40, 'x'), clock_.now())),
            PortalRefusal::kUnknownLink);
  const auto home = portal_->home(ann_, clock_.now());
  ASSERT_TRUE(home.has_value());
  ASSERT_EQ(home->entries.size(), 1u);
  EXPECT_EQ(home->entries.front().assignment.id, ann_assignment_);
  EXPECT_EQ(home->entries.front().module->slug, testing_support::kTestModule);

  clock_.advance(30 * kDay);
  EXPECT_EQ(refusal(portal_->home(ann_, clock_.now())), PortalRefusal::kExpiredLink);
  EXPECT_EQ(refusal(portal_->assignment(ann_, ann_assignment_, clock_.now())),
            PortalRefusal::kExpiredLink);
}

TEST_F(LearnerPortalTest, OnlyThePersonsOwnAssignmentsOpen) {
  EXPECT_EQ(refusal(portal_->assignment(ann_, eve_assignment_, clock_.now())),
            PortalRefusal::kNotTheirs);  // another workspace's
  const auto bobs = assign(acme_.audience, 1, testing_support::kTestModule, 0);
  EXPECT_EQ(refusal(portal_->assignment(ann_, bobs, clock_.now())), PortalRefusal::kNotTheirs);
  EXPECT_EQ(refusal(portal_->assignment(ann_, 0, clock_.now())), PortalRefusal::kNotTheirs);
  EXPECT_EQ(refusal(portal_->assignment(ann_, 9999, clock_.now())), PortalRefusal::kNotTheirs);
  const auto visit = portal_->assignment(ann_, ann_assignment_, clock_.now());
  ASSERT_TRUE(visit.has_value());
  EXPECT_EQ(visit->entry.module->version, 3);
}

TEST_F(LearnerPortalTest, WithdrawnAssignmentsAndRemovedModulesHaveNothingToDo) {
  const auto gone = assign(acme_.audience, 0, "retired-module", 0);
  EXPECT_EQ(refusal(portal_->assignment(ann_, gone, clock_.now())), PortalRefusal::kModuleRemoved);
  write([&](Repositories& repos) {
    ASSERT_TRUE(repos.training.cancel_assignment(acme_.audience.workspace_id, ann_assignment_,
                                                 "withdrawn", clock_.now()));
  });
  EXPECT_EQ(refusal(portal_->assignment(ann_, ann_assignment_, clock_.now())),
            PortalRefusal::kWithdrawn);
}

TEST_F(LearnerPortalTest, OpeningALessonStartsTheAssignment) {
  EXPECT_EQ(refusal(portal_->lesson(ann_, ann_assignment_, 0, clock_.now())),
            PortalRefusal::kNoSuchLesson);
  EXPECT_EQ(refusal(portal_->lesson(ann_, ann_assignment_, 3, clock_.now())),
            PortalRefusal::kNoSuchLesson);
  EXPECT_EQ(stored_for_ann().status, AssignmentStatus::kAssigned);
  clock_.advance(60);
  ASSERT_TRUE(portal_->lesson(ann_, ann_assignment_, 2, clock_.now()).has_value());
  const auto a = stored_for_ann();
  EXPECT_EQ(a.status, AssignmentStatus::kInProgress);
  EXPECT_EQ(a.started_at, clock_.now());
}

TEST_F(LearnerPortalTest, AFailedQuizIsRecordedAndLeavesItOpen) {
  const auto graded = answer(testing_support::kHalfRight);
  ASSERT_TRUE(graded.has_value());
  EXPECT_FALSE(graded->result.passed);
  EXPECT_EQ(graded->result.score_percent, 50);
  EXPECT_EQ(graded->visit.entry.assignment.status, AssignmentStatus::kInProgress);
  const auto a = stored_for_ann();
  EXPECT_EQ(a.status, AssignmentStatus::kInProgress);
  EXPECT_EQ(a.score, 50);
  ASSERT_EQ(attempts().size(), 1u);
  EXPECT_EQ(attempts().front().module_version, 3);
}

TEST_F(LearnerPortalTest, APassCompletesAndASecondCompletionIsRefused) {
  clock_.advance(120);
  const auto graded = answer(testing_support::kRightAnswers);
  ASSERT_TRUE(graded.has_value());
  EXPECT_TRUE(graded->result.passed);
  EXPECT_EQ(graded->visit.entry.assignment.status, AssignmentStatus::kCompleted);
  EXPECT_EQ(graded->visit.entry.assignment.completed_at, clock_.now());
  EXPECT_EQ(stored_for_ann().status, AssignmentStatus::kCompleted);
  EXPECT_EQ(stored_for_ann().completed_at, clock_.now());

  const auto again = portal_->open_quiz(ann_, ann_assignment_, clock_.now());
  EXPECT_EQ(refusal(again), PortalRefusal::kAlreadyCompleted);
  EXPECT_EQ(again.error().score, 100);
  const auto resent = portal_->submit_quiz(
      ann_, ann_assignment_, {"any", testing_support::kRightAnswers, ""}, clock_.now());
  EXPECT_EQ(refusal(resent), PortalRefusal::kAlreadyCompleted);
  EXPECT_EQ(attempts().size(), 1u);
  EXPECT_TRUE(portal_->certificate(ann_, ann_assignment_, clock_.now()).has_value());
}

TEST_F(LearnerPortalTest, EachFormIsGradedOnceAndOnlyTheNewest) {
  const auto older = portal_->open_quiz(ann_, ann_assignment_, clock_.now());
  const auto newer = portal_->open_quiz(ann_, ann_assignment_, clock_.now());
  ASSERT_TRUE(older.has_value() && newer.has_value());
  EXPECT_NE(older->nonce, newer->nonce);
  const service::QuizSubmission stale{older->nonce, testing_support::kHalfRight, ""};
  EXPECT_EQ(refusal(portal_->submit_quiz(ann_, ann_assignment_, stale, clock_.now())),
            PortalRefusal::kFormUsed);
  const service::QuizSubmission sent{newer->nonce, testing_support::kHalfRight, ""};
  ASSERT_TRUE(portal_->submit_quiz(ann_, ann_assignment_, sent, clock_.now()).has_value());
  EXPECT_EQ(refusal(portal_->submit_quiz(ann_, ann_assignment_, sent, clock_.now())),
            PortalRefusal::kFormUsed);
  EXPECT_EQ(attempts().size(), 1u);
}

TEST_F(LearnerPortalTest, AnswersThatDoNotFitTheQuizRecordNothing) {
  const auto form = portal_->open_quiz(ann_, ann_assignment_, clock_.now());
  ASSERT_TRUE(form.has_value());
  const auto forged = portal_->submit_quiz(
      ann_, ann_assignment_, {form->nonce, testing_support::kRightAnswers, "a stray field"},
      clock_.now());
  EXPECT_EQ(refusal(forged), PortalRefusal::kBadAnswers);
  EXPECT_EQ(forged.error().detail, "a stray field");
  const auto partial = portal_->submit_quiz(ann_, ann_assignment_,
                                            {form->nonce, {{"sender", {1}}}, ""}, clock_.now());
  EXPECT_EQ(refusal(partial), PortalRefusal::kBadAnswers);
  EXPECT_TRUE(attempts().empty());
  // The form is still good: a refused set of answers does not use it up.
  EXPECT_TRUE(portal_
                  ->submit_quiz(ann_, ann_assignment_,
                                {form->nonce, testing_support::kRightAnswers, ""}, clock_.now())
                  .has_value());
}

TEST_F(LearnerPortalTest, TheCertificateWaitsForAPass) {
  EXPECT_EQ(refusal(portal_->certificate(ann_, ann_assignment_, clock_.now())),
            PortalRefusal::kNotCompleted);
}

}  // namespace
}  // namespace phishdrill
