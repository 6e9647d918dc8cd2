#pragma once

#include "agent/net/httplimits.h"

namespace ferry::agent {

class AgentConfig;

// An HTTP listener's limits from the listeners.* keys; the body limit from `bodyKey`, or no
// body at all when it is null.
net::HttpServerLimits listenerLimits(const AgentConfig &config, const char *bodyKey);

} // namespace ferry::agent
