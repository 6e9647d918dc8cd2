#pragma once

#include "agent/api/apirequest.h"

// Routes (endpoints): list, create, one route, change, disable, test send.
namespace ferry::agent::api::routes {

ApiReply list(const ApiRequest &request);
ApiReply create(const ApiRequest &request);
ApiReply get(const ApiRequest &request);
ApiReply change(const ApiRequest &request);
ApiReply disable(const ApiRequest &request);
// POST /v1/routes/{num}/test: one `ferry.test` delivery to this route alone (decision 0029).
ApiReply test(const ApiRequest &request);

} // namespace ferry::agent::api::routes
