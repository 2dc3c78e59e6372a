#include "store/json_columns.h"

#include <boost/json.hpp>

namespace phishdrill::json_columns {
namespace json = boost::json;

std::string headers_to_json(const std::vector<HeaderField>& headers) {
  json::array out;
  for (const auto& h : headers) {
    json::object item;
    item["name"] = h.name;
    item["value"] = h.value;
    out.push_back(std::move(item));
  }
  return json::serialize(out);
}

std::vector<HeaderField> headers_from_json(const std::string& text) {
  std::vector<HeaderField> headers;
  const json::value parsed = json::parse(text);
  for (const auto& item : parsed.as_array()) {
    const auto& obj = item.as_object();
    headers.push_back(
        {std::string(obj.at("name").as_string()), std::string(obj.at("value").as_string())});
  }
  return headers;
}

std::string attachments_to_json(const std::vector<Attachment>& attachments) {
  json::array out;
  for (const auto& a : attachments) {
    json::object item;
    item["name"] = a.name;
    item["content_type"] = a.content_type;
    item["content"] = a.content_base64;
    out.push_back(std::move(item));
  }
  return json::serialize(out);
}

std::vector<Attachment> attachments_from_json(const std::string& text) {
  std::vector<Attachment> attachments;
  const json::value parsed = json::parse(text);
  for (const auto& item : parsed.as_array()) {
    const auto& obj = item.as_object();
    attachments.push_back({std::string(obj.at("name").as_string()),
                           std::string(obj.at("content_type").as_string()),
                           std::string(obj.at("content").as_string())});
  }
  return attachments;
}

std::string red_flags_to_json(const std::vector<RedFlag>& flags) {
  json::array out;
  for (const auto& f : flags) {
    json::object item;
    item["part"] = f.part;
    item["text"] = f.text;
    item["explanation"] = f.explanation;
    out.push_back(std::move(item));
  }
  return json::serialize(out);
}

std::vector<RedFlag> red_flags_from_json(const std::string& text) {
  std::vector<RedFlag> flags;
  const json::value parsed = json::parse(text);
  for (const auto& item : parsed.as_array()) {
    const auto& obj = item.as_object();
    flags.push_back({std::string(obj.at("part").as_string()),
                     std::string(obj.at("text").as_string()),
                     std::string(obj.at("explanation").as_string())});
  }
  return flags;
}

std::string strings_to_json(const std::vector<std::string>& strings) {
  json::array out;
  for (const auto& s : strings) out.emplace_back(s);
  return json::serialize(out);
}

std::vector<std::string> strings_from_json(const std::string& text) {
  std::vector<std::string> strings;
  const json::value parsed = json::parse(text);
  for (const auto& item : parsed.as_array()) strings.emplace_back(item.as_string());
  return strings;
}

std::string feedback_texts_to_json(const ReportFeedbackSettings& settings) {
  json::object out;
  for (const auto kind : feedback_kinds()) {
    json::object item;
    item["subject"] = settings.text(kind).subject;
    item["body"] = settings.text(kind).body;
    out[feedback_kind_name(kind)] = std::move(item);
  }
  return json::serialize(out);
}

void feedback_texts_from_json(const std::string& text, ReportFeedbackSettings& into) {
  const json::value parsed = json::parse(text);
  const auto& obj = parsed.as_object();
  for (const auto kind : feedback_kinds()) {
    const auto* item = obj.if_contains(feedback_kind_name(kind));
    if (item == nullptr || !item->is_object()) continue;
    const auto& fields = item->as_object();
    into.text(kind) = {std::string(fields.at("subject").as_string()),
                       std::string(fields.at("body").as_string())};
  }
}

std::string premise_to_json(const PremiseRatings& ratings) {
  json::object out;
  for (const PremiseElement e : premise_elements()) out[premise_element_name(e)] = ratings[e];
  return json::serialize(out);
}

PremiseRatings premise_from_json(const std::string& text) {
  PremiseRatings ratings;
  const json::object parsed = json::parse(text).as_object();
  for (const PremiseElement e : premise_elements()) {
    if (const auto* v = parsed.if_contains(premise_element_name(e))) {
      ratings[e] = static_cast<int>(v->to_number<std::int64_t>());
    }
  }
  return ratings;
}

std::string template_scale_to_json(const TemplateScale& scale) {
  json::array cues;
  for (const auto& c : scale.cues)
    cues.push_back(json::object{{"type", c.type}, {"where", c.where}});
  json::array dismissed;
  for (const auto& d : scale.dismissed) dismissed.emplace_back(d);
  return json::serialize(json::object{{"category", scale.category},
                                      {"library_slug", scale.library_slug},
                                      {"cues", std::move(cues)},
                                      {"dismissed", std::move(dismissed)}});
}

TemplateScale template_scale_from_json(const std::string& text) {
  TemplateScale scale;
  const json::object parsed = json::parse(text).as_object();
  const auto text_of = [&](std::string_view key) {
    const auto* v = parsed.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string{};
  };
  scale.category = text_of("category");
  scale.library_slug = text_of("library_slug");
  if (const auto* cues = parsed.if_contains("cues")) {
    for (const auto& item : cues->as_array()) {
      const auto& obj = item.as_object();
      scale.cues.push_back(
          {std::string(obj.at("type").as_string()), std::string(obj.at("where").as_string())});
    }
  }
  if (const auto* dismissed = parsed.if_contains("dismissed")) {
    for (const auto& item : dismissed->as_array()) scale.dismissed.emplace_back(item.as_string());
  }
  return scale;
}

std::string files_to_json(const SimulationFileMap& files) {
  json::object out;
  for (const auto& [path, text] : files) out[path] = text;
  return json::serialize(out);
}

SimulationFileMap files_from_json(const std::string& text) {
  SimulationFileMap files;
  const json::value parsed = json::parse(text);
  for (const auto& [path, value] : parsed.as_object()) {
    files.emplace(std::string(path), std::string(value.as_string()));
  }
  return files;
}

}  // namespace phishdrill::json_columns
