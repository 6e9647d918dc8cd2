#pragma once

#include "agent/api/apirequest.h"

// A tenant's producer credentials: HTTP bearer tokens and ZeroMQ CURVE keys.
namespace ferry::agent::api::producers {

ApiReply list(const ApiRequest &request);
ApiReply create(const ApiRequest &request);
ApiReply revoke(const ApiRequest &request);

} // namespace ferry::agent::api::producers
