// The JSON of a rendered preview's attachments ([{"name", "html"}]), shared
// by the template editor's preview and the library's. Pure.
#pragma once

#include <boost/json.hpp>

#include "service/preview_template.h"

namespace phishdrill::api {

boost::json::array preview_attachments_json(const service::RenderedPreview& preview);

}  // namespace phishdrill::api
