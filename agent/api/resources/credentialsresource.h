#pragma once

#include "agent/api/apirequest.h"

// A tenant's provider credentials, sealed with the master key. Write-only: no answer, log line
// or audit row carries a secret.
namespace ferry::agent::api::credentials {

ApiReply list(const ApiRequest &request);
ApiReply put(const ApiRequest &request);
ApiReply remove(const ApiRequest &request);

} // namespace ferry::agent::api::credentials
