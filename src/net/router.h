// Router: maps (method, path) to a handler using patterns with `{name}`
// segments ("/api/v1/groups/{id}/targets"). Each route carries its own body
// size limit, which the server applies before reading the body. A segment
// named `{token}` holds a credential: the access log shows "{token}" instead.
// Build the table before serving; matching is then read-only and thread-safe.
// An optional GET fallback answers GET/HEAD requests no route matches (the
// admin SPA's client-side routes); other methods still get 404/405.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.h"

namespace phishdrill::net {

using Handler = std::function<Response(Request&)>;

// An asynchronous handler answers later, from any thread, by calling
// `respond` exactly once (e.g. after a durable commit). The request stays
// valid until then.
using Responder = std::function<void(Response)>;
using AsyncHandler = std::function<void(Request&, Responder respond)>;

inline constexpr std::size_t kDefaultBodyLimit = 1024 * 1024;

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;             // set for synchronous routes
  AsyncHandler async_handler;  // set for asynchronous routes
  std::size_t body_limit = kDefaultBodyLimit;
};

struct RouteMatch {
  const Route* route = nullptr;  // null when nothing matched
  bool path_known = false;       // the path matched some route, with another method
  std::vector<std::pair<std::string, std::string>> params;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler,
           std::size_t body_limit = kDefaultBodyLimit);
  void add_async(std::string method, std::string pattern, AsyncHandler handler,
                 std::size_t body_limit = kDefaultBodyLimit);
  // Handles GET and HEAD requests for paths no route knows; `label` is the
  // route label used in logs and metrics.
  void set_get_fallback(std::string label, Handler handler);
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
  std::optional<Route> get_fallback_;
};

}  // namespace phishdrill::net
