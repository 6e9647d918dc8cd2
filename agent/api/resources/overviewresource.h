#pragma once

#include "agent/api/apirequest.h"

// The agent at a glance: the calling token, the overview of deliveries, SLA attainment.
namespace ferry::agent::api::overview {

ApiReply whoami(const ApiRequest &request);
ApiReply overview(const ApiRequest &request);
ApiReply sla(const ApiRequest &request);

} // namespace ferry::agent::api::overview
