// Small pieces every admin API handler uses: ids from the path, list paging
// from the query, and the audit-log entry for a change.
#pragma once

#include <cstdint>
#include <string_view>

#include "api/context.h"
#include "api/guard.h"
#include "api/json_io.h"
#include "api/principal.h"
#include "core/error.h"
#include "net/http_message.h"
#include "store/page.h"
#include "store/store.h"

namespace phishdrill::api {

// The positive integer path parameter `name`; anything else is kNotFound, the
// same answer as an id that does not exist.
Result<std::int64_t> path_id(const net::Request& request, std::string_view name = "id");

// ?limit= (1..500, default 50) and ?cursor= (opaque, from next_cursor).
Result<PageRequest> page_request(const net::Request& request);

// Records a change in the audit log, in the caller's transaction.
void audit(Repositories& repos, const Principal& who, const net::Request& request, std::int64_t now,
           std::string_view action, std::string_view resource_type, std::int64_t resource_id,
           const json::object& details = {});

std::unexpected<Error> not_found();

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

}  // namespace phishdrill::api
