#include "tests/bench/agent.h"

#include "tests/bench/benchsupport.h"

#include <QStringList>

#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::bench {

QHash<QString, QString> agentEnvironment(const QString &url, quint16 http, quint16 zmq)
{
    auto env = test::agentEnvironment(url, http, zmq);
    env.insert(u"FERRY_INGEST_QUEUE_LIMIT"_s, u"200000"_s);
    env.insert(u"FERRY_ZMQ_KEY_REFRESH"_s, u"2s"_s);
    for (const auto &[key, fallback] : {std::pair{"FERRY_DISPATCH_POLL_INTERVAL", "1s"},
                                        std::pair{"FERRY_DISPATCH_LEASE", "60s"}}) {
        const QString set = qEnvironmentVariable(key);
        env.insert(QString::fromLatin1(key), set.isEmpty() ? QString::fromLatin1(fallback) : set);
    }
    // Tenants across databases: the ingest path through the partition router.
    if (const QString partitions = qEnvironmentVariable("FERRY_DATABASE_PARTITIONS");
        !partitions.isEmpty())
        env.insert(u"FERRY_DATABASE_PARTITIONS"_s, partitions);
    return env;
}

QString dispatchSettings()
{
    const auto r =
        test::run(test::agentBinary(), {u"config"_s}, agentEnvironment(test::serverUrl(), 1, 1));
    QStringList out;
    for (const QString &line : r.out.split(u'\n')) {
        const QString setting = line.section(u'#', 0, 0).trimmed();
        if (setting.startsWith("dispatch."_L1) || setting.startsWith("webhook.max_concurrency"_L1))
            out << u"`%1`"_s.arg(setting);
    }
    return out.isEmpty() ? u"(`ferry-agent config` failed)"_s : out.join(u", "_s);
}

Result<void> Agent::start(const QString &url)
{
    m_process = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s},
                                                agentEnvironment(url, m_http, m_zmq));
    if (!m_process->start() || !test::waitForHealthy(m_http))
        return makeError(u"the agent did not start:\n"_s + log());
    m_rss = std::make_unique<RssSampler>(m_process->pid());
    return {};
}

Result<AgentMemory> Agent::stop()
{
    if (!isRunning())
        return makeError(u"the agent of '%1' exited by itself:\n%2"_s.arg(m_scenario, log()));
    AgentMemory m{m_scenario, statusKb(pid(), "VmHWM:"), takeRssPeakKb()};
    m_rss.reset();
    if (!m_process->terminate())
        return makeError(u"the agent of '%1' did not exit cleanly:\n%2"_s.arg(m_scenario, log()));
    return m;
}

} // namespace ferry::bench
