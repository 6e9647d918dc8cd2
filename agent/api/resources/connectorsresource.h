#pragma once

#include "agent/api/apirequest.h"

// A tenant's inbound connectors (POST /v1/inbound/{tenant}/{connector}), their inbox, and the
// receipts and ledger of its messages. Secrets are write-only: no answer, log line or audit row
// carries one.
namespace ferry::agent::api::connectors {

ApiReply list(const ApiRequest &request);
ApiReply put(const ApiRequest &request);
ApiReply remove(const ApiRequest &request);

} // namespace ferry::agent::api::connectors
