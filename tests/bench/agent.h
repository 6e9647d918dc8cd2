#pragma once

#include "tests/bench/rsssampler.h"
#include "tests/support/testsupport.h"

#include "shared/result.h"

#include <QHash>
#include <QString>

#include <memory>
#include <utility>

namespace ferry::bench {

// The agent's environment: the tests' (database, ports, loopback allowed for webhooks), with the
// dispatch poll and lease back at their defaults unless set outside, and an ingest queue that
// holds what the producers keep in flight. Other FERRY_* variables of this process pass through.
QHash<QString, QString> agentEnvironment(const QString &url, quint16 http, quint16 zmq);

// The values of the agent's dispatch settings it will run with (`ferry-agent config`).
QString dispatchSettings();

struct AgentMemory
{
    QString scenario;
    qint64 hwmKb = 0;     // VmHWM when it stopped
    qint64 sampledKb = 0; // highest VmRSS seen every 50 ms
};

// One `ferry-agent run` process with its RSS sampler.
class Agent
{
public:
    explicit Agent(QString scenario)
        : m_scenario(std::move(scenario))
        , m_http(test::freePort())
        , m_zmq(test::freePort())
    {}
    quint16 zmqPort() const { return m_zmq; }
    qint64 pid() const { return m_process ? m_process->pid() : 0; }
    bool isRunning() const { return m_process && m_process->isRunning(); }
    QString log() const { return m_process ? m_process->output().right(3000) : QString(); }
    qint64 takeRssPeakKb() { return m_rss ? m_rss->takeScenarioPeakKb() : 0; }

    Result<void> start(const QString &url);
    // SIGTERM; the agent must exit cleanly. Its memory: VmHWM read just before.
    Result<AgentMemory> stop();

private:
    QString m_scenario;
    quint16 m_http, m_zmq;
    std::unique_ptr<test::Process> m_process;
    std::unique_ptr<RssSampler> m_rss;
};

} // namespace ferry::bench
