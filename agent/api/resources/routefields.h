#pragma once

#include "agent/api/apirequest.h"
#include "agent/store/admin/routestore.h"

namespace ferry::agent::jobs {
class ExecCommands;
}

namespace ferry::agent::api::routes {

// Applies the fields of a route body (POST or PATCH /v1/routes) to `route`; the first invalid
// field is the answer (422 naming it). `creating`: the target is required. A webhook target
// the body sets must pass adapters::checkUrlAtSave() with `guard`, the route's tenant's; an exec
// target must name one of `commands` open to the route's tenant.
std::optional<ApiReply> applyRouteFields(const QJsonObject &body, store::Route &route,
                                         bool creating, const adapters::SsrfGuard &guard,
                                         const jobs::ExecCommands *commands);

} // namespace ferry::agent::api::routes
