#include "app/metrics_endpoint.h"

#include "api/guard.h"
#include "api/json_io.h"
#include "crypto/sodium.h"

namespace phishdrill::app {
namespace {

net::Response render(net::HttpMetrics& metrics, const NodeStatus& node) {
  std::string body;
  body += "# HELP phishdrill_build_info Build information.\n";
  body += "# TYPE phishdrill_build_info gauge\n";
  body += "phishdrill_build_info{version=\"" PHISHDRILL_VERSION "\"} 1\n";
  // node.name is letters, digits, '.', '-' and '_' only: no label escaping.
  const std::string label = "{node=\"" + node.name + "\"}";
  body += "# HELP phishdrill_node_info The node serving these metrics.\n";
  body += "# TYPE phishdrill_node_info gauge\n";
  body += "phishdrill_node_info" + label + " 1\n";
  body +=
      "# HELP phishdrill_database_up Whether the node reached its database at the last probe.\n";
  body += "# TYPE phishdrill_database_up gauge\n";
  body += "phishdrill_database_up" + label + (node.database.reachable() ? " 1\n" : " 0\n");
  metrics.render(body);
  auto response =
      net::Response::text(200, std::move(body), "text/plain; version=0.0.4; charset=utf-8");
  response.set_header("Cache-Control", "no-store");
  return response;
}

net::Response refused(const Error& error) {
  auto response = api::error_response(error);
  if (error.code == ErrorCode::kUnauthorized) response.set_header("WWW-Authenticate", "Bearer");
  return response;
}

Result<void> check_token(const net::Request& request, const std::string& token) {
  constexpr std::string_view kBearer = "Bearer ";
  const std::string_view authorization = request.header("Authorization");
  if (!authorization.starts_with(kBearer) ||
      !crypto::constant_time_equal(authorization.substr(kBearer.size()), token)) {
    return fail(ErrorCode::kUnauthorized, "send Authorization: Bearer <metrics.token>");
  }
  return {};
}

Result<void> check_admin(api::ApiContext& context, const net::Request& request) {
  auto principal = api::authenticate(context, request);
  if (!principal) return std::unexpected(principal.error());
  if (!has_role(principal->role, Role::kAdmin)) {
    return fail(ErrorCode::kForbidden, "/metrics needs the admin role (or set metrics.token)");
  }
  return {};
}

}  // namespace

net::Handler metrics_endpoint(net::HttpMetrics& metrics, const NodeStatus& node, std::string token,
                              api::ApiContext* admins) {
  return [&metrics, &node, token = std::move(token), admins](net::Request& request) {
    Result<void> allowed = {};
    if (!token.empty()) {
      allowed = check_token(request, token);
    } else if (admins != nullptr) {
      allowed = check_admin(*admins, request);
    }
    if (!allowed) return refused(allowed.error());
    return render(metrics, node);
  };
}

}  // namespace phishdrill::app
