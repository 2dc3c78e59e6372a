#include "net/router.h"

namespace phishdrill::net {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) segments.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, std::size_t body_limit) {
  Route route;
  route.method = std::move(method);
  route.segments = split_path(pattern);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  route.body_limit = body_limit;
  routes_.push_back(std::move(route));
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler handler,
                       std::size_t body_limit) {
  add(std::move(method), std::move(pattern), Handler{}, body_limit);
  routes_.back().async_handler = std::move(handler);
}

void Router::set_get_fallback(std::string label, Handler handler) {
  Route route;
  route.method = "GET";
  route.pattern = std::move(label);
  route.handler = std::move(handler);
  get_fallback_ = std::move(route);
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  const auto segments = split_path(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (is_param(route.segments[i])) {
        params.emplace_back(route.segments[i].substr(1, route.segments[i].size() - 2), segments[i]);
      } else {
        ok = route.segments[i] == segments[i];
      }
    }
    if (!ok) continue;
    if (route.method != method && !(method == "HEAD" && route.method == "GET")) {
      result.path_known = true;
      continue;
    }
    result.route = &route;
    result.params = std::move(params);
    return result;
  }
  if (!result.path_known && get_fallback_ && (method == "GET" || method == "HEAD")) {
    result.route = &*get_fallback_;
  }
  return result;
}

}  // namespace phishdrill::net
