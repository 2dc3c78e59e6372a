#include "api/handler_support.h"

#include <charconv>

#include "service/audit.h"
#include "service/owned_resources.h"

namespace phishdrill::api {
namespace {

std::optional<std::int64_t> parse_positive(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

Result<std::int64_t> path_id(const net::Request& request, std::string_view name) {
  auto id = parse_positive(request.path_param(name));
  if (!id) return not_found();
  return *id;
}

Result<std::optional<std::int64_t>> query_id(const net::Request& request, std::string_view name) {
  const auto text = request.query_param(name);
  if (!text) return std::nullopt;
  auto id = parse_positive(*text);
  if (!id) {
    return fail(ErrorCode::kBadRequest, std::string(name) + " must be a positive integer",
                std::string(name));
  }
  return *id;
}

Result<PageRequest> page_request(const net::Request& request) {
  PageRequest page;
  if (auto limit = request.query_param("limit")) {
    auto value = parse_positive(*limit);
    if (!value || *value > 500) {
      return fail(ErrorCode::kValidation, "limit must be an integer from 1 to 500", "limit");
    }
    page.limit = static_cast<int>(*value);
  }
  if (auto cursor = request.query_param("cursor"); cursor && !cursor->empty()) {
    auto value = parse_positive(*cursor);
    if (!value) return fail(ErrorCode::kValidation, "cursor is not valid", "cursor");
    page.after_id = *value;
  }
  return page;
}

service::Caller caller(const Principal& who, const net::Request& request) {
  return {who.user.workspace_id, who.user.id, who.role, who.actor, request.remote_ip};
}

void audit(Repositories& repos, const Principal& who, const net::Request& request, std::int64_t now,
           std::string_view action, std::string_view resource_type, std::int64_t resource_id,
           const json::object& details) {
  service::audit(repos, caller(who, request), now, action, resource_type, resource_id, details);
}

net::Response download_response(std::string body, std::string_view content_type,
                                std::string_view filename) {
  auto response = net::Response::text(200, std::move(body), std::string(content_type));
  response.set_header("Content-Disposition",
                      "attachment; filename=\"" + std::string(filename) + "\"");
  return response;
}

net::Response csv_attachment(std::string csv, std::string_view filename) {
  return download_response(std::move(csv), "text/csv; charset=utf-8", filename);
}

}  // namespace phishdrill::api
