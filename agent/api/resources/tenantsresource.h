#pragma once

#include "agent/api/apirequest.h"

// The tenants: list, one with its quotas, create, change quotas and SLA targets, delete.
namespace ferry::agent::api::tenants {

ApiReply list(const ApiRequest &request);
ApiReply get(const ApiRequest &request);
ApiReply create(const ApiRequest &request);
ApiReply change(const ApiRequest &request);
ApiReply remove(const ApiRequest &request);

} // namespace ferry::agent::api::tenants
