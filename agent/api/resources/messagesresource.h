#pragma once

#include "agent/api/apirequest.h"

// A tenant's messages as their providers reported them (receipts, forward only) with their
// billing ledger entries, and the unit prices that estimate costs the providers do not report.
namespace ferry::agent::api::messages {

ApiReply list(const ApiRequest &request);
ApiReply putPrice(const ApiRequest &request);

} // namespace ferry::agent::api::messages
