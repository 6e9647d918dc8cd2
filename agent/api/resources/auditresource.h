#pragma once

#include "agent/api/apirequest.h"

// The audit log, newest first.
namespace ferry::agent::api::audit {

ApiReply list(const ApiRequest &request);

} // namespace ferry::agent::api::audit
