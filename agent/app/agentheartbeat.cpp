#include "agent/app/agentheartbeat.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

Q_LOGGING_CATEGORY(lcRegistry, "ferry.agent.registry", QtInfoMsg)

} // namespace

// Owns the connection and the timer, both used on the heartbeat's thread only.
class AgentHeartbeat::Worker final : public QObject
{
public:
    Worker(const Options &options, const QElapsedTimer &uptime)
        : m_options(options)
        , m_uptime(uptime)
        , m_timer(this)
    {
        m_timer.setInterval(int(m_options.intervalMs));
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { beat(); });
    }

    void begin()
    {
        beat();
        m_timer.start();
    }

    // The clean stop: the row goes, then the connection.
    void end()
    {
        m_timer.stop();
        if (store::PgConnection *db = database()) {
            if (auto r = store::AgentStore(*db).remove(m_options.self.id); !r)
                qCWarning(lcRegistry).noquote()
                    << "could not remove this agent from the registry (agents):"
                    << r.error().message << "- it shows as gone once its heartbeat is old";
        }
        m_db.close();
    }

private:
    void beat()
    {
        store::AgentRegistration self = m_options.self;
        self.uptimeMs = m_uptime.elapsed();
        store::PgConnection *db = database();
        auto r = db ? store::AgentStore(*db).beat(self, store::PgConnection::openSessionPids())
                    : Result<void>(makeError(u"the database is unreachable"_s));
        if (!r) {
            if (!m_failing)
                qCWarning(lcRegistry).noquote()
                    << "heartbeat not recorded:" << r.error().message
                    << "- GET /v1/agents shows this agent as gone until it is; retrying";
            m_failing = true;
            if (db && db->isBroken())
                db->close();
            return;
        }
        if (m_failing)
            qCInfo(lcRegistry) << "heartbeat recorded again";
        m_failing = false;
    }

    store::PgConnection *database()
    {
        if (!m_db.isOpen() && !m_db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds))
            return nullptr;
        return &m_db;
    }

    const Options &m_options;
    const QElapsedTimer &m_uptime;
    store::PgConnection m_db;
    QTimer m_timer;
    bool m_failing = false;
};

AgentHeartbeat::AgentHeartbeat(Options options)
    : m_options(std::move(options))
{
    m_uptime.start();
    m_thread.setObjectName(u"registry"_s);
}

AgentHeartbeat::~AgentHeartbeat()
{
    stop();
}

void AgentHeartbeat::start()
{
    m_worker = new Worker(m_options, m_uptime);
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->begin(); }, Qt::BlockingQueuedConnection);
}

void AgentHeartbeat::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker] {
            w->end();
            QThread::currentThread()->quit();
        },
        Qt::BlockingQueuedConnection);
    m_thread.wait();
    m_worker = nullptr;
}

} // namespace ferry::agent
