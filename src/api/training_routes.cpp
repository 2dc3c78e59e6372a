// Training modules (read-only for now): the catalogue loaded from the content
// directory at start, and one module in full for preview — lessons rendered
// and the quiz with its answers (the admin side may see them; learners never
// get the answers before grading).
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"

namespace phishdrill::api {
namespace {

json::object summary_json(const TrainingModule& m) {
  json::array tags;
  for (const auto& t : m.tags) tags.push_back(json::string(t));
  return {{"slug", m.slug},
          {"title", m.title},
          {"summary", m.summary},
          {"minutes", m.minutes},
          {"locale", m.locale},
          {"version", m.version},
          {"tags", std::move(tags)},
          {"pass_mark", m.pass_mark},
          {"lessons", m.lessons.size()},
          {"questions", m.quiz.size()}};
}

json::object module_json(const TrainingModule& m) {
  json::object out = summary_json(m);
  json::array lessons;
  for (const auto& l : m.lessons) {
    lessons.push_back(json::object{{"file", l.file}, {"title", l.title}, {"html", l.html}});
  }
  json::array quiz;
  for (const auto& q : m.quiz) {
    json::array choices;
    for (const auto& c : q.choices) choices.push_back(json::string(c));
    json::array answers;
    for (const int a : q.answers) answers.push_back(a);
    quiz.push_back(json::object{{"id", q.id},
                                {"text", q.text},
                                {"choices", std::move(choices)},
                                {"answers", std::move(answers)},
                                {"explanation", q.explanation}});
  }
  out["lessons"] = std::move(lessons);
  out["quiz"] = std::move(quiz);
  return out;
}

}  // namespace

void add_training_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  router.add("GET", "/api/v1/training/modules",
             guard(ctx, Role::kViewer, [&ctx](net::Request&, const Principal&) {
               json::array items;
               for (const auto& m : ctx.training_modules) items.push_back(summary_json(m));
               return Result<net::Response>(json_response(
                   200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}}));
             }));
  router.add("GET", "/api/v1/training/modules/{slug}",
             guard(ctx, Role::kViewer,
                   [&ctx](net::Request& request, const Principal&) -> Result<net::Response> {
                     const auto slug = request.path_param("slug");
                     for (const auto& m : ctx.training_modules) {
                       if (m.slug == slug) return json_response(200, module_json(m));
                     }
                     return not_found();
                   }));
}

}  // namespace phishdrill::api
