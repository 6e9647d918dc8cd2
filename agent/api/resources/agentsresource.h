#pragma once

#include "agent/api/apirequest.h"

// The agents that share this database, from their registry (table `agents`).
namespace ferry::agent::api::agents {

ApiReply list(const ApiRequest &request);

} // namespace ferry::agent::api::agents
