#include "agent/app/listenerlimits.h"

#include "agent/app/agentconfig.h"

namespace ferry::agent {

net::HttpServerLimits listenerLimits(const AgentConfig &config, const char *bodyKey)
{
    net::HttpServerLimits limits;
    limits.maxConnections = int(config.integer("listeners.max_connections"));
    limits.maxConnectionsPerAddress = int(config.integer("listeners.max_connections_per_address"));
    limits.headerTimeoutMs = config.milliseconds("listeners.header_timeout");
    limits.bodyTimeoutMs = config.milliseconds("listeners.body_timeout");
    limits.idleTimeoutMs = config.milliseconds("listeners.idle_timeout");
    limits.request.maxHeadBytes = config.integer("listeners.max_header_bytes");
    limits.request.maxBodyBytes = bodyKey ? config.integer(bodyKey) : 0;
    limits.request.bodyLimitKey = bodyKey ? bodyKey : "no body is accepted here";
    return limits;
}

} // namespace ferry::agent
