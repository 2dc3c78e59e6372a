#include "service/reporting/evidence_json.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/link_unwrap.h"
#include "core/utf8.h"

namespace phishdrill::service {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxLinks = 200;
constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxField = 1000;

json::string text(std::string_view value, std::size_t max = kMaxField) {
  return json::string(valid_utf8(utf8_prefix(value, max)));
}

const char* shape_name(ReportShape shape) {
  switch (shape) {
    case ReportShape::kInlineForward:
      return "inline_forward";
    case ReportShape::kDirect:
      return "direct";
    case ReportShape::kAttached:
      break;
  }
  return "attached";
}

json::array links_of(const ReportedMessage& message) {
  json::array links;
  for (const auto& link : message.links) {
    if (links.size() == kMaxLinks) break;
    links.push_back(json::object{{"href", text(link.href)},
                                 {"target", text(unwrap_link(link.href))},
                                 {"text", text(link.text, 200)},
                                 {"image", link.image}});
  }
  return links;
}

json::array attachments_of(const ReportedMessage& message) {
  json::array out;
  for (const auto& a : message.attachments) {
    out.push_back(json::object{{"name", text(a.name, 200)},
                               {"content_type", text(a.content_type, 100)},
                               {"size", a.size},
                               {"sha256", a.sha256}});
  }
  return out;
}

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.push_back(text(v));
  return out;
}

json::object indicators(const ReportedMessage& message, const Evidence& evidence) {
  json::array hashes;
  for (const auto& a : message.attachments) {
    const json::value hash(json::string(a.sha256));
    if (std::find(hashes.begin(), hashes.end(), hash) == hashes.end()) hashes.push_back(hash);
  }
  return json::object{{"urls", strings(evidence.urls)},
                      {"domains", strings(evidence.domains)},
                      {"hashes", std::move(hashes)},
                      {"sender", text(message.from_address)}};
}

json::array findings_of(const Evidence& evidence) {
  json::array out;
  for (const auto& f : evidence.findings) {
    out.push_back(json::object{{"code", f.code}, {"detail", text(f.detail)}, {"points", f.points}});
  }
  return out;
}

}  // namespace

std::string evidence_json(const ReportedMessage& message, const Evidence& evidence) {
  json::object out{
      {"shape", shape_name(message.shape)},
      {"from_name", text(message.from_name)},
      {"from_address", text(message.from_address)},
      {"reply_to", text(message.reply_to)},
      {"return_path", text(message.return_path)},
      {"subject", text(message.subject)},
      {"message_id", text(message.message_id)},
      {"date", message.date},
      {"authentication_results", strings(message.authentication_results)},
      {"findings", findings_of(evidence)},
      {"links", links_of(message)},
      {"attachments", attachments_of(message)},
      {"indicators", indicators(message, evidence)},
      {"text_excerpt", text(message.text, kMaxText)},
  };
  return json::serialize(out);
}

}  // namespace phishdrill::service
