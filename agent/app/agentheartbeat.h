#pragma once

#include "agent/store/admin/agentstore.h"

#include <QElapsedTimer>
#include <QThread>

#include <memory>

namespace ferry::agent {

// The agent's row in the registry of agents (GET /v1/agents), kept on a thread of its own with
// its own database connection: inserted at start, refreshed every agents.heartbeat, deleted
// at a clean stop. A registry write that fails is logged and tried again at the next beat; it
// never stops the agent.
class AgentHeartbeat
{
public:
    struct Options
    {
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        qint64 intervalMs = 5000;
        store::AgentRegistration self; // uptimeMs is filled in at every beat
    };

    explicit AgentHeartbeat(Options options);
    ~AgentHeartbeat();
    AgentHeartbeat(const AgentHeartbeat &) = delete;
    AgentHeartbeat &operator=(const AgentHeartbeat &) = delete;

    // Registers the agent (waits for the first write) and starts beating.
    void start();
    // Deletes the agent's row and ends the thread.
    void stop();

private:
    class Worker;

    Options m_options;
    QElapsedTimer m_uptime; // since the runtime was built
    QThread m_thread;
    Worker *m_worker = nullptr; // lives on m_thread; deleted on its `finished`
};

} // namespace ferry::agent
