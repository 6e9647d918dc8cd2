#pragma once

#include "agent/app/agentconfig.h"

#include <QStringList>

namespace ferry::agent {

// The agent's command line: `run` (default), `migrate`, `version`, `config`, and the admin
// command groups (agent/app/commands/: tenant, token, producer, endpoint, dlq, cert…). Returns
// the process exit code.
int runCommandLine(const QStringList &arguments);

// Runs the daemon until SIGTERM/SIGINT: HTTP ingest, batch writer, dispatcher (AgentRuntime).
int runAgent(const AgentConfig &config);

} // namespace ferry::agent
