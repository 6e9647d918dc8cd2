#pragma once

#include "agent/api/apirequest.h"

// Tokens of the API itself: list, create (the secret is answered once), revoke. A
// tenant-scoped admin manages only its tenant's tokens, none above its own role.
namespace ferry::agent::api::tokens {

ApiReply list(const ApiRequest &request);
ApiReply create(const ApiRequest &request);
ApiReply revoke(const ApiRequest &request);

} // namespace ferry::agent::api::tokens
