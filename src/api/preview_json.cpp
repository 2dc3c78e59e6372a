#include "api/preview_json.h"

namespace phishdrill::api {

boost::json::array preview_attachments_json(const service::RenderedPreview& preview) {
  boost::json::array out;
  for (const auto& a : preview.attachments) {
    out.push_back(boost::json::object{{"name", a.name}, {"html", a.html}});
  }
  return out;
}

}  // namespace phishdrill::api
