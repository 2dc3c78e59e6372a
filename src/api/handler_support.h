// Small pieces every admin API handler uses: ids from the path, list paging
// from the query, the audit-log entry for a change, and the generic list, get
// and delete handlers over service use cases.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

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

// 200 with `body` of `content_type`, offered as a download named `filename`.
net::Response download_response(std::string body, std::string_view content_type,
                                std::string_view filename);
// The same for CSV.
net::Response csv_attachment(std::string csv, std::string_view filename);

// Calls a service query with the caller when it takes one (it checks the
// caller's role itself), otherwise with the caller's workspace.
template <typename Query, typename... Args>
auto call_query(Query& query, Store& store, const Principal& who, const net::Request& request,
                Args... args) {
  if constexpr (std::is_invocable_v<Query&, Store&, const service::Caller&, Args...>) {
    return query(store, caller(who, request), args...);
  } else {
    return query(store, who.user.workspace_id, args...);
  }
}

// GET list handler over a service query `list(store, caller or workspace_id,
// page) -> Result<Page<T>>` (see service/owned_resources.h).
template <typename T, typename List, typename ToJson>
ApiHandler list_handler(ApiContext& context, List list, ToJson to_json) {
  return [&context, list, to_json](net::Request& request,
                                   const Principal& who) -> Result<net::Response> {
    const PageRequest page = PD_TRY(page_request(request));
    const Page<T> items = PD_TRY(call_query(list, context.store, who, request, page));
    return json_response(200, list_body(items.items, items.next_after, to_json));
  };
}

// GET .../{id} over a service query `find(store, caller or workspace_id, id) -> Result<T>`.
template <typename Find, typename ToJson>
ApiHandler get_handler(ApiContext& context, Find find, ToJson to_json) {
  return [&context, find, to_json](net::Request& request,
                                   const Principal& who) -> Result<net::Response> {
    const std::int64_t id = PD_TRY(path_id(request));
    const auto item = PD_TRY(call_query(find, context.store, who, request, id));
    return json_response(200, to_json(item));
  };
}

// DELETE .../{id} over a service use case
// `remove(store, caller, now, id) -> Result<void>` (which audits it).
template <typename Remove>
ApiHandler delete_handler(ApiContext& context, Remove remove) {
  return [&context, remove](net::Request& request, const Principal& who) -> Result<net::Response> {
    const std::int64_t id = PD_TRY(path_id(request));
    PD_TRY(remove(context.store, caller(who, request), context.clock.now(), id));
    return net::Response::no_content();
  };
}

}  // namespace phishdrill::api
