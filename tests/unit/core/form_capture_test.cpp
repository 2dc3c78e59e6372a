#include "core/form_capture.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

LandingPage page_with(CapturePolicy capture, std::vector<std::string> safe_fields) {
  LandingPage page;
  page.capture = capture;
  page.safe_fields = std::move(safe_fields);
  return page;
}

TEST(CaptureSubmission, KeepsOnlyTheValuesOfSafeFields) {
  const FormFields fields = {{"username", "ada"}, {"department", "labs"}, {"kennwort", "s1"},
                             {"senha", "s2"},     {"wachtwoord", "s3"},   {"pw2", "s4"},
                             {"p", "s5"},         {"p4ssw0rd", "s6"},     {"favourite", "tea"},
                             {"empty", ""}};
  const auto captured =
      capture_submission(fields, page_with(CapturePolicy::kValues, {"username", "department"}), {});
  EXPECT_EQ(captured.kept, (FormFields{{"username", "ada"}, {"department", "labs"}}));
  EXPECT_EQ(captured.filled,
            (std::vector<std::string>{"username", "department", "kennwort", "senha", "wachtwoord",
                                      "pw2", "p", "p4ssw0rd", "favourite"}));
}

TEST(CaptureSubmission, NoSafeFieldsKeepsNoValue) {
  const auto captured = capture_submission({{"username", "ada"}, {"kennwort", "secret"}},
                                           page_with(CapturePolicy::kValues, {}), {});
  EXPECT_TRUE(captured.kept.empty());
  EXPECT_EQ(captured.filled, (std::vector<std::string>{"username", "kennwort"}));
}

TEST(CaptureSubmission, SecretsAreDroppedEvenWhenNamedSafe) {
  // A page saved before the save-time check, or a name the HTML marks secret.
  const auto page = page_with(CapturePolicy::kValues, {"kennwort", "login", "username"});
  const auto captured = capture_submission(
      {{"kennwort", "s1"}, {"login", "s2"}, {"username", "ada"}}, page, {"login"});
  EXPECT_EQ(captured.kept, (FormFields{{"username", "ada"}}));
}

TEST(CaptureSubmission, FieldsAndNonePoliciesKeepNoValue) {
  const FormFields fields = {{"username", "ada"}};
  const auto names =
      capture_submission(fields, page_with(CapturePolicy::kFields, {"username"}), {});
  EXPECT_TRUE(names.kept.empty());
  EXPECT_EQ(names.filled, (std::vector<std::string>{"username"}));
  const auto none = capture_submission(fields, page_with(CapturePolicy::kNone, {"username"}), {});
  EXPECT_TRUE(none.kept.empty());
  EXPECT_TRUE(none.filled.empty());
}

}  // namespace
}  // namespace phishdrill
