// GET /metrics: Prometheus text for the HTTP metrics of both listeners. Who
// may read it (docs/configuration.md, [metrics]): with a token configured,
// only a request bearing `Authorization: Bearer <token>` (compared in
// constant time); without one, on the admin listener, only an admin session
// or admin API key; on a separate metrics listener without a token, anyone
// who can reach that listener. Thread-safe like the metrics it reads.
#pragma once

#include <string>

#include "api/context.h"
#include "app/database_health.h"
#include "net/http_metrics.h"
#include "net/router.h"

namespace phishdrill::app {

// This node as /metrics labels it: its name and whether it reaches the
// database (phishdrill_node_info, phishdrill_database_up).
struct NodeStatus {
  std::string name;
  const DatabaseHealth& database;
};

// `admins` authenticates callers when `token` is empty; null means a
// listener of its own, open to whoever reaches it.
net::Handler metrics_endpoint(net::HttpMetrics& metrics, const NodeStatus& node, std::string token,
                              api::ApiContext* admins);

}  // namespace phishdrill::app
