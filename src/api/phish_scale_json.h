// The NIST Phish Scale in the API's JSON: a rating (cues, bands, premise,
// difficulty and reasons), what people did with a template against its
// rating, a template's own scale settings (read and written), premise
// answers in the scale's words. Pure; thread-safe.
#pragma once

#include <boost/json.hpp>

#include "api/json_io.h"
#include "core/observed_difficulty.h"
#include "core/phish_rating.h"
#include "core/template_scale.h"

namespace phishdrill::api {

boost::json::object premise_json(const PremiseRatings& ratings);
// {"workplace_process": "significant", ...}: every element, in the scale's words.
Result<PremiseRatings> read_premise(const boost::json::object& answers, std::string_view prefix);

boost::json::object rating_json(const PhishRating& rating);
boost::json::object observed_json(const ObservedDifficulty& observed);

boost::json::object template_scale_json(const TemplateScale& scale);
// The body's optional "phish_scale" object (absent: empty settings).
Result<TemplateScale> read_template_scale(const FieldReader& reader);

}  // namespace phishdrill::api
