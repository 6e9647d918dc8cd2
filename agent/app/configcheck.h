#pragma once

#include "agent/app/agentconfig.h"

#include <QHostAddress>
#include <QStringList>

#include <optional>

namespace ferry::agent {

// What AgentConfig::load cannot see key by key: how keys relate (shutdown.grace below
// dispatch.lease, …), whether the listen addresses parse, whether the files the configuration
// names can be read and hold what they should (TLS pairs, the master key, the exec commands),
// and the retry schedule and allowed networks. Each problem names its key and what to do.
// `ferry-agent run` refuses to start on any of them; `ferry-agent check-config` lists them all.
QStringList configProblems(const AgentConfig &config);

struct ListenAddress
{
    QHostAddress address;
    quint16 port = 0;
};

// "host:port"; nullopt when it does not parse.
std::optional<ListenAddress> parseListen(const QString &listen);
// A "host:port" listen key (http.listen, api.listen, metrics.listen); the error names the key.
Result<ListenAddress> listenAddress(const AgentConfig &config, const char *key);

} // namespace ferry::agent
