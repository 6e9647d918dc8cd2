#pragma once

#include "agent/api/apirequest.h"

// A tenant's inbox of inbound provider webhooks: what arrived, what processing made of it, and
// a replay of the entries parked as dead.
namespace ferry::agent::api::inbox {

ApiReply list(const ApiRequest &request);
ApiReply replay(const ApiRequest &request);

} // namespace ferry::agent::api::inbox
