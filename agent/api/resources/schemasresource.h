#pragma once

#include "agent/api/apirequest.h"

// A tenant's schema registry: per event type, its versions and the fields an event's `data`
// must carry (docs/schemas.md). A tenant in strict mode (PATCH /v1/tenants/{tenant}
// {"strict_schemas": true}) has events that do not match refused at ingest.
namespace ferry::agent::api::schemas {

ApiReply list(const ApiRequest &request);
ApiReply put(const ApiRequest &request);
ApiReply remove(const ApiRequest &request);

} // namespace ferry::agent::api::schemas
