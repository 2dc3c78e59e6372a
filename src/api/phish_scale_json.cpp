#include "api/phish_scale_json.h"

#include <fmt/format.h>

namespace phishdrill::api {
namespace json = boost::json;

json::object premise_json(const PremiseRatings& ratings) {
  json::object out;
  for (const PremiseElement e : premise_elements()) {
    out[premise_element_name(e)] = applicability_name(ratings[e]);
  }
  return out;
}

Result<PremiseRatings> read_premise(const json::object& answers, std::string_view prefix) {
  FieldReader reader(answers, std::string(prefix));
  PD_TRY(reader.only({"workplace_process", "workplace_relevance", "external_events", "consequences",
                      "training_exposure"}));
  PremiseRatings ratings;
  for (const PremiseElement e : premise_elements()) {
    const std::string word = PD_TRY(reader.string(premise_element_name(e), true));
    const auto rating = parse_applicability(word);
    if (!rating) {
      return fail(ErrorCode::kValidation, "one of none, low, moderate, significant or extreme",
                  reader.field(premise_element_name(e)));
    }
    ratings[e] = *rating;
  }
  return ratings;
}

json::object rating_json(const PhishRating& r) {
  json::array cues;
  for (const RatedCue& c : r.cues) {
    cues.push_back(json::object{{"type", c.type},
                                {"category", c.category},
                                {"where", c.where},
                                {"source", c.detected ? "detected" : "author"}});
  }
  json::array reasons;
  for (const auto& reason : r.reasons) reasons.emplace_back(reason);
  return {{"cues", std::move(cues)},
          {"cue_count", r.cue_count},
          {"cue_band", cue_band_name(r.cue_band)},
          {"premise", json::object{{"answers", premise_json(r.premise.ratings)},
                                   {"source", premise_source_name(r.premise.source)},
                                   {"score", r.premise_score},
                                   {"band", premise_band_name(r.premise_band)}}},
          {"difficulty", difficulty_name(r.difficulty)},
          {"difficulty_label", difficulty_label(r.difficulty)},
          {"reasons", std::move(reasons)}};
}

json::object observed_json(const ObservedDifficulty& o) {
  return {{"sent", o.outcome.sent},
          {"clicked", o.outcome.clicked},
          {"submitted", o.outcome.submitted},
          {"failure_rate", o.failure_rate},
          {"interval", json::array{o.low, o.high}},
          {"observed_difficulty",
           o.observed ? json::value(difficulty_name(*o.observed)) : json::value(nullptr)},
          {"verdict", observed_verdict_name(o.verdict)}};
}

json::object template_scale_json(const TemplateScale& scale) {
  json::array cues;
  for (const auto& c : scale.cues)
    cues.push_back(json::object{{"type", c.type}, {"where", c.where}});
  json::array dismissed;
  for (const auto& d : scale.dismissed) dismissed.emplace_back(d);
  return {{"category", scale.category},
          {"library_slug", scale.library_slug},
          {"cues", std::move(cues)},
          {"dismissed", std::move(dismissed)}};
}

Result<TemplateScale> read_template_scale(const FieldReader& reader) {
  TemplateScale scale;
  const auto* object = PD_TRY(reader.object("phish_scale"));
  if (object == nullptr) return scale;
  FieldReader fields(*object, reader.field("phish_scale") + ".");
  PD_TRY(fields.only({"category", "library_slug", "cues", "dismissed"}));
  scale.category = PD_TRY(fields.string("category"));
  scale.library_slug = PD_TRY(fields.string("library_slug"));
  if (const auto* cues = PD_TRY(fields.array("cues"))) {
    for (std::size_t i = 0; i < cues->size(); ++i) {
      const std::string prefix = fmt::format("{}[{}]", fields.field("cues"), i);
      if (!(*cues)[i].is_object()) {
        return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
      }
      FieldReader cue((*cues)[i].as_object(), prefix + ".");
      PD_TRY(cue.only({"type", "where"}));
      scale.cues.push_back({PD_TRY(cue.string("type", true)), PD_TRY(cue.string("where", true))});
    }
  }
  if (const auto* dismissed = PD_TRY(fields.array("dismissed"))) {
    for (const auto& item : *dismissed) {
      if (!item.is_string()) {
        return fail(ErrorCode::kInvalidType, "dismissed holds cue types",
                    fields.field("dismissed"));
      }
      scale.dismissed.emplace_back(item.as_string());
    }
  }
  return scale;
}

}  // namespace phishdrill::api
