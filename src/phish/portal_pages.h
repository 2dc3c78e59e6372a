// The employee training portal's pages, rendered on the server as plain,
// accessible HTML (no script; one stylesheet at {portal}/portal.css): the
// person's list of assignments, a module's overview, each lesson, the quiz
// (choices only: the right answers never reach the page before grading), the
// graded result with explanations, the printable certificate, and the
// messages for links that are invalid, expired or not theirs. Every value is
// HTML-escaped. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/assignment.h"
#include "training/quiz_grader.h"
#include "training/training_module.h"

namespace phishdrill::phish {

// Where the pages link to: {root} = {portal_path}/{token}.
struct PortalLinks {
  std::string portal_path;  // e.g. "/learn"
  std::string token;
  std::string root() const { return portal_path + "/" + token; }
  std::string assignment(std::int64_t id) const { return root() + "/" + std::to_string(id); }
};

struct PortalItem {
  Assignment assignment;
  const TrainingModule* module = nullptr;  // null when no longer in the catalogue
};

std::string portal_home_html(const PortalLinks& links, const std::string& first_name,
                             const std::vector<PortalItem>& items, std::int64_t now);
std::string module_overview_html(const PortalLinks& links, const PortalItem& item,
                                 std::int64_t now);
// `index` is 0-based.
std::string lesson_html(const PortalLinks& links, const PortalItem& item, std::size_t index);
std::string quiz_html(const PortalLinks& links, const PortalItem& item, const std::string& nonce);
std::string quiz_result_html(const PortalLinks& links, const PortalItem& item,
                             const QuizResult& result,
                             const std::map<std::string, std::set<int>>& answers);
std::string certificate_html(const PortalLinks& links, const PortalItem& item,
                             const std::string& full_name);
// A page with a heading and a message (errors, "nothing to do", ...). `back`
// (a URL) and `back_label` add a link when not empty.
std::string message_html(const std::string& portal_path, const std::string& title,
                         const std::string& message, const std::string& back = {},
                         const std::string& back_label = {});

// The stylesheet, served at {portal_path}/portal.css.
std::string_view portal_css();

}  // namespace phishdrill::phish
