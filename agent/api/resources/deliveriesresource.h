#pragma once

#include "agent/api/apirequest.h"

// Deliveries: the search with keyset pagination, and one delivery's trace.
namespace ferry::agent::api::deliveries {

ApiReply search(const ApiRequest &request);
ApiReply trace(const ApiRequest &request);

} // namespace ferry::agent::api::deliveries
