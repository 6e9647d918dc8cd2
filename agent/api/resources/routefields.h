#pragma once

#include "agent/api/apirequest.h"
#include "agent/store/admin/routestore.h"

namespace ferry::agent::api::routes {

// Applies the fields of a route body (POST or PATCH /v1/routes) to `route`; the first invalid
// field is the answer (422 naming it). `creating`: the target is required. A webhook target
// the body sets must pass adapters::checkUrlAtSave() with `guard`, the route's tenant's.
std::optional<ApiReply> applyRouteFields(const QJsonObject &body, store::Route &route,
                                         bool creating, const adapters::SsrfGuard &guard);

} // namespace ferry::agent::api::routes
