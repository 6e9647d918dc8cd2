#pragma once

#include "agent/api/apirequest.h"

// A tenant's exec jobs: each run of a command with its state and live progress, and the
// cancellation of a running one.
namespace ferry::agent::api::jobs {

ApiReply list(const ApiRequest &request);
ApiReply get(const ApiRequest &request);
ApiReply cancel(const ApiRequest &request);

} // namespace ferry::agent::api::jobs
