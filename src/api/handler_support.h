// Small pieces every admin API handler uses: ids from the path, list paging
// from the query, and the audit-log entry for a change.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "api/context.h"
#include "api/guard.h"
#include "api/json_io.h"
#include "api/principal.h"
#include "core/error.h"
#include "net/http_message.h"
#include "service/caller.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::api {

// The positive integer path parameter `name`; anything else is kNotFound, the
// same answer as an id that does not exist.
Result<std::int64_t> path_id(const net::Request& request, std::string_view name = "id");

// ?name= as a positive id: nullopt when absent; anything but a positive
// decimal integer ("1abc", "", "-1", "0x1") is kBadRequest naming the parameter.
Result<std::optional<std::int64_t>> query_id(const net::Request& request, std::string_view name);

// ?limit= (1..500, default 50) and ?cursor= (opaque, from next_cursor).
Result<PageRequest> page_request(const net::Request& request);

// The service-layer view of the principal: workspace, user, role, actor, address.
service::Caller caller(const Principal& who, const net::Request& request);

// Records a change in the audit log, in the caller's transaction.
void audit(Repositories& repos, const Principal& who, const net::Request& request, std::int64_t now,
           std::string_view action, std::string_view resource_type, std::int64_t resource_id,
           const json::object& details = {});

std::unexpected<Error> not_found();

// 200 with a CSV body, offered as a download named `filename`.
net::Response csv_attachment(std::string csv, std::string_view filename);

// GET list handler over a repository method returning Page<T>.
template <typename T, typename List, typename ToJson>
ApiHandler list_handler(ApiContext& context, List list, ToJson to_json) {
  return [&context, list, to_json](net::Request& request,
                                   const Principal& who) -> Result<net::Response> {
    auto page = page_request(request);
    if (!page) return std::unexpected(page.error());
    Page<T> items;
    auto read = context.store.read([&](Repositories& repos) -> Result<void> {
      items = list(repos, who.user.workspace_id, *page);
      return {};
    });
    if (!read) return std::unexpected(read.error());
    return json_response(200, list_body(items.items, items.next_after, to_json));
  };
}

// GET .../{id}: `find(repos, workspace_id, id)` returns an optional item.
template <typename Find, typename ToJson>
ApiHandler get_handler(ApiContext& context, Find find, ToJson to_json) {
  return [&context, find, to_json](net::Request& request,
                                   const Principal& who) -> Result<net::Response> {
    auto id = path_id(request);
    if (!id) return std::unexpected(id.error());
    std::optional<json::value> body;
    auto read = context.store.read([&](Repositories& repos) -> Result<void> {
      if (auto item = find(repos, who.user.workspace_id, *id)) body = to_json(*item);
      return {};
    });
    if (!read) return std::unexpected(read.error());
    if (!body) return not_found();
    return json_response(200, *body);
  };
}

// DELETE .../{id}: `remove(repos, workspace_id, id)` returns whether it
// existed; the deletion is audited as `action` on `resource_type`.
template <typename Remove>
ApiHandler delete_handler(ApiContext& context, Remove remove, std::string action,
                          std::string resource_type) {
  return [&context, remove, action, resource_type](net::Request& request,
                                                   const Principal& who) -> Result<net::Response> {
    auto id = path_id(request);
    if (!id) return std::unexpected(id.error());
    const auto now = context.clock.now();
    auto written = context.store.write([&](Repositories& repos) -> Result<void> {
      if (!remove(repos, who.user.workspace_id, *id)) return not_found();
      audit(repos, who, request, now, action, resource_type, *id);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    return net::Response::no_content();
  };
}

}  // namespace phishdrill::api
