#pragma once

#include "agent/app/agentconfig.h"

#include <QStringList>

namespace ferry::agent {

// The agent's command line: `run` (default), `migrate`, `version`, `config`, and the minimal
// admin commands (`tenant create`, `endpoint add`, `dlq list`, `dlq replay`). Returns the
// process exit code.
int runCommandLine(const QStringList &arguments);

// Runs the daemon until SIGTERM/SIGINT: HTTP ingest, batch writer, dispatcher.
int runAgent(const AgentConfig &config);

} // namespace ferry::agent
