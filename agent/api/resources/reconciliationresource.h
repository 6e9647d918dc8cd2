#pragma once

#include "agent/api/apirequest.h"

// Reconciliation of a tenant's messages with their providers: a run on demand, and the report
// of what the runs found (each drift: what Ferry believed, what the provider said, what was
// done).
namespace ferry::agent::api::reconciliation {

ApiReply report(const ApiRequest &request);
ApiReply request(const ApiRequest &request);

} // namespace ferry::agent::api::reconciliation
