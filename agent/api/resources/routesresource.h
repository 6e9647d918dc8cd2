#pragma once

#include "agent/api/apirequest.h"

// Routes (endpoints): list, create, one route, change, disable.
namespace ferry::agent::api::routes {

ApiReply list(const ApiRequest &request);
ApiReply create(const ApiRequest &request);
ApiReply get(const ApiRequest &request);
ApiReply change(const ApiRequest &request);
ApiReply disable(const ApiRequest &request);

} // namespace ferry::agent::api::routes
