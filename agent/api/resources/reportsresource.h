#pragma once

#include "agent/api/apirequest.h"

// Reports: a tenant's deliveries by channel and state for a period, as JSON or CSV.
namespace ferry::agent::api::reports {

ApiReply deliveries(const ApiRequest &request);

} // namespace ferry::agent::api::reports
