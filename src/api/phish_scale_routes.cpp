// The NIST Phish Scale: GET /api/v1/phish-scale (its cue types, premise
// questions, answer words, bands and difficulty table, for screens that
// explain a rating), GET /api/v1/phish-scale/premise (the workspace's premise
// answers per library category beside the library's suggestions), PUT and
// DELETE /api/v1/phish-scale/premise/{category} ("general" for answers
// that hold for every category; admins). Every role may read.
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "api/phish_scale_json.h"
#include "library/library_vocabulary.h"
#include "service/phish_scale/premise_answers.h"
#include "service/phish_scale/rate_templates.h"

namespace phishdrill::api {
namespace {

constexpr std::string_view kGeneral = "general";

json::object scale_json() {
  json::array cue_types;
  for (const CueType& c : phish_cue_types()) {
    cue_types.push_back(json::object{{"type", c.name}, {"category", c.category}});
  }
  json::array elements;
  for (const PremiseElement e : premise_elements()) elements.emplace_back(premise_element_name(e));
  json::array table;
  for (const CueBand cues : {CueBand::kFew, CueBand::kSome, CueBand::kMany}) {
    for (const PremiseBand premise :
         {PremiseBand::kStrong, PremiseBand::kMedium, PremiseBand::kWeak}) {
      table.push_back(
          json::object{{"cues", cue_band_name(cues)},
                       {"premise", premise_band_name(premise)},
                       {"difficulty", difficulty_name(detection_difficulty(cues, premise))}});
    }
  }
  return {{"cue_types", std::move(cue_types)},
          {"premise_elements", std::move(elements)},
          {"answers", json::array{"none", "low", "moderate", "significant", "extreme"}},
          {"cue_bands",
           json::object{{"few", "8 or fewer"}, {"some", "9 to 14"}, {"many", "15 or more"}}},
          {"premise_bands",
           json::object{{"weak", "10 or less"}, {"medium", "11 to 17"}, {"strong", "18 or more"}}},
          {"table", std::move(table)}};
}

Result<net::Response> get_scale(ApiContext&, net::Request&, const Principal&) {
  return json_response(200, scale_json());
}

json::object category_json(std::string_view name, const PremiseChoice& effective,
                           const std::optional<PremiseRatings>& suggested, bool own) {
  return {{"category", name},
          {"answers", premise_json(effective.ratings)},
          {"source", premise_source_name(effective.source)},
          {"score", premise_score(effective.ratings)},
          {"band", premise_band_name(premise_band(premise_score(effective.ratings)))},
          {"suggested", suggested ? json::value(premise_json(*suggested)) : json::value(nullptr)},
          {"customised", own}};
}

Result<net::Response> get_premise(ApiContext& context, net::Request&, const Principal& who) {
  const auto library = PD_TRY(context.library->for_workspace(context.store, who.user.workspace_id));
  const auto scale = PD_TRY(
      service::scale_context(context.store, who.user.workspace_id, library.library, nullptr));
  json::array categories;
  const auto general = scale.answers.find("");
  categories.push_back(category_json(
      kGeneral,
      general == scale.answers.end() ? PremiseChoice{default_premise(), PremiseSource::kDefault}
                                     : PremiseChoice{general->second, PremiseSource::kWorkspace},
      std::nullopt, general != scale.answers.end()));
  for (const std::string_view c : simulation_categories()) {
    TemplateScale as_category;
    as_category.category = std::string(c);
    categories.push_back(category_json(c, service::premise_for(as_category, scale),
                                       service::category_suggestion(*library.library, c),
                                       scale.answers.contains(std::string(c))));
  }
  return json_response(200, json::object{{"categories", std::move(categories)}});
}

std::string category_at(const net::Request& request) {
  const std::string category(request.path_param("category"));
  return category == kGeneral ? std::string{} : category;
}

Result<net::Response> put_premise(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const auto body = PD_TRY(parse_body(request));
  FieldReader reader(body);
  PD_TRY(reader.only({"answers"}));
  const auto* answers = PD_TRY(reader.object("answers"));
  if (answers == nullptr) return fail(ErrorCode::kValidation, "answers are required", "answers");
  const auto ratings = PD_TRY(read_premise(*answers, "answers."));
  PD_TRY(service::save_premise_answers(context.store, caller(who, request), category_at(request),
                                       ratings, context.clock.now()));
  return get_premise(context, request, who);
}

Result<net::Response> delete_premise(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  PD_TRY(service::reset_premise_answers(context.store, caller(who, request), category_at(request),
                                        context.clock.now()));
  return net::Response::no_content();
}

}  // namespace

void add_phish_scale_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/phish-scale", guard(ctx, Role::kViewer, handler(get_scale)));
  router.add("GET", "/api/v1/phish-scale/premise", guard(ctx, Role::kViewer, handler(get_premise)));
  router.add("PUT", "/api/v1/phish-scale/premise/{category}",
             guard(ctx, Role::kAdmin, handler(put_premise)));
  router.add("DELETE", "/api/v1/phish-scale/premise/{category}",
             guard(ctx, Role::kAdmin, handler(delete_premise)));
}

}  // namespace phishdrill::api
