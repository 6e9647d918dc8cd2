#pragma once

// What the chaos scenarios share: agents as processes, a scene of routes whose receivers count
// what arrives, the figures every scenario reports, and a TCP proxy in front of PostgreSQL that
// a test can cut.
#include "shared/producer.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QString>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <memory>

namespace ferry::test {
class ProviderSim;
}

namespace ferry::chaos {

// FERRY_CHAOS_LONG=1: the full-size version of every scenario (CTest label chaos-long).
bool longRun();
// The short or the long figure, by longRun().
int scaled(int shortValue, int longValue);

// The first column of the first row of `query` on `url` ("<no connection>" / "<error>").
QString sql(const QString &url, const QString &query);
qint64 sqlCount(const QString &url, const QString &query);

struct Agent
{
    quint16 http = 0;
    quint16 zmq = 0;
    std::unique_ptr<test::Process> process;
    QHash<QString, QString> env;
    QString host = QStringLiteral("127.0.0.1"); // where its listeners are
    QStringList launcher; // runs the agent elsewhere: "ip netns exec ferry-host1"

    bool start();             // starts the process and waits until it is healthy
    QString endpoint() const; // its ZeroMQ address for a producer
    bool ready() const;       // GET /readyz answers 200
};

// An agent on `url` with short leases and timeouts; `extra` overrides the environment.
Agent makeAgent(const QString &url, const QHash<QString, QString> &extra = {});
// The same on host `index` of scripts/netns-hosts.sh (namespace ferry-hostI, 10.77.I.2).
Agent makeAgentOnHost(const QString &url, int index, const QHash<QString, QString> &extra = {});

// Network namespaces as agent hosts (scripts/netns-hosts.sh), removed at the end. Needs root.
class Hosts
{
public:
    explicit Hosts(int count);
    ~Hosts();
    bool ok() const { return m_ok; }
    bool cut(int index) const;
    bool restore(int index) const;
    // The address of this namespace that every host reaches (on lo).
    static QString serviceAddress() { return QStringLiteral("10.77.0.1"); }

private:
    int m_count;
    bool m_ok = false;
};

// What one scenario saw, as it reports it.
struct Figures
{
    int events = 0;
    qint64 lost = 0;                     // deliveries that never reached their receiver
    qint64 repeatedWebhookIds = 0;       // successes at the receivers beyond the first per id
    qint64 repeatedIdempotencyKeys = -1; // SMS accepted again with a key seen before; -1: no route
    qint64 reordered = -1;               // ordered route: arrivals out of partition order; -1: none
    qint64 dead = 0;
    qint64 attempts = 0;
    QString extra; // the scenario's own figures ("12 SIGKILLs, ...")

    QString line(const QString &scenario) const;
};

// Prints a `CHAOS <scenario>: ...` line and appends it to the file FERRY_CHAOS_REPORT when set.
void reportLine(const QString &line);
void report(const QString &scenario, const Figures &figures);

// One tenant whose every event goes to a webhook route (a receiver that fails a share of
// requests), optionally an ordered webhook route (its own receiver, whose arrivals per partition
// key are compared with the stored order) and an SMS route through ferry-provider-sim (whose
// idempotency keys are counted).
class Scene
{
public:
    struct Options
    {
        double failRate = 0.1;
        bool ordered = true;
        bool sms = false;
        QStringList receiverArgs; // more arguments for the receivers
        int partitionKeys = 50;
        QString receiverHost = QStringLiteral("127.0.0.1"); // where the receivers listen
    };

    Scene();
    ~Scene();
    // Migrates `url` and sets up the tenant and its routes (QVERIFY inside: check
    // QTest::currentTestFailed() after).
    void setUp(const QString &url, const Options &options);

    QString url() const { return m_url; }
    ProducerCredentials credentials() const { return m_credentials; }
    // The environment an agent needs for this scene's routes (the master key of the SMS route).
    QHash<QString, QString> agentEnv() const;
    // Event number `i`, with a partition key and the data the SMS template uses.
    QByteArray event(int i) const;
    int routes() const { return 1 + (m_options.ordered ? 1 : 0) + (m_options.sms ? 1 : 0); }

    // Deliveries that reached a receiver, counted once each, over every route.
    qint64 delivered() const;
    // Waits until nothing is left to do: every event of `events` stored and routed, no
    // delivery ready, leased or held. QVERIFY inside.
    void waitForDrain(int events, int timeoutMs);
    // The figures after the drain; checks (QCOMPARE) that every queue is empty and nothing is
    // lost, repeated by idempotency key or reordered.
    void measure(int events, Figures &figures, qint64 expectedDead = 0);
    // Webhook-ids the receivers saw more than once whose delivery never lost a lease, was never
    // released and never went without an answer (a timeout): repeats that no crash and no lost
    // answer explain.
    qint64 repeatsNotFromInFlight() const;

    // The receivers' /stats.
    QJsonObject receiverStats(bool ordered = false) const;
    // The receiver's successes: webhook-id -> count.
    QHash<QString, int> receiverSuccesses(bool ordered = false) const;

private:
    void addSmsRoute();
    quint16 startReceiver(const QStringList &endpointArgs, std::unique_ptr<test::Process> &out);
    qint64 reorderedArrivals() const;

    Options m_options;
    QString m_url;
    qint64 m_tenantId = 0;
    ProducerCredentials m_credentials;
    std::unique_ptr<test::Process> m_receiver, m_orderedReceiver;
    quint16 m_receiverPort = 0, m_orderedPort = 0;
    std::unique_ptr<test::ProviderSim> m_sim;
    std::unique_ptr<QTemporaryDir> m_dir;
};

// The sum of ferry_delivery_attempts_total on the agent's metrics endpoint (-1: no answer).
qint64 attemptsOf(const Agent &agent);

// Publishes events from..to-1 of a scene through `producer` without waiting; counts answers.
struct PublishCount
{
    std::atomic<int> acked{0};
    std::atomic<int> failed{0};
    int answered() const { return acked + failed; }
};
void publishRange(Producer &producer, const Scene &scene, int from, int to, PublishCount &count);

// Publishes events 0..total-1 at a steady rate and records when each was acknowledged.
class SteadyLoad
{
public:
    SteadyLoad(Producer &producer, const Scene &scene, int total, int perTick)
        : m_producer(producer)
        , m_scene(scene)
        , m_total(total)
        , m_perTick(perTick)
    {
        m_clock.start();
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    }
    void start() { m_timer.start(); }
    bool allPublished() const { return m_next >= m_total; }
    int published() const { return m_next; }
    qint64 now() const { return m_clock.elapsed(); }
    int acked() const { return m_count.acked; }
    int failed() const { return m_count.failed; }
    int answered() const { return m_count.answered(); }

    // The longest a publish waited for its answer.
    qint64 longestWait() const
    {
        QMutexLocker lock(&m_mutex);
        return m_longestWait;
    }

    // The longest time without an acknowledgement between `fromMs` and the last one.
    qint64 longestSilenceAfter(qint64 fromMs) const
    {
        QMutexLocker lock(&m_mutex);
        QList<qint64> times = m_ackTimes;
        std::sort(times.begin(), times.end());
        qint64 longest = 0;
        qint64 previous = fromMs;
        for (qint64 t : times) {
            if (t < fromMs)
                continue;
            longest = std::max(longest, t - previous);
            previous = t;
        }
        return longest;
    }

private:
    void tick()
    {
        for (int i = 0; i < m_perTick && m_next < m_total; ++i, ++m_next)
            m_producer.publish(
                m_scene.event(m_next), [this, sent = m_clock.elapsed()](const PublishResult &r) {
                    (r.ok() ? m_count.acked : m_count.failed)++;
                    QMutexLocker lock(&m_mutex);
                    m_ackTimes.append(m_clock.elapsed());
                    m_longestWait = std::max(m_longestWait, m_clock.elapsed() - sent);
                });
        if (m_next >= m_total)
            m_timer.stop();
    }

    Producer &m_producer;
    const Scene &m_scene;
    const int m_total;
    const int m_perTick;
    int m_next = 0;
    QTimer m_timer;
    QElapsedTimer m_clock;
    PublishCount m_count;
    mutable QMutex m_mutex;
    QList<qint64> m_ackTimes;
    qint64 m_longestWait = 0;
};

// Proves that a fault landed mid-run: the leased queue rows at the fault are kept under a label,
// and labelsWithExpiredLease() tells which labels had one of them end by an expired lease (the
// holder died or froze with the work in flight).
class Snapshot
{
public:
    explicit Snapshot(QString url);
    // Records the deliveries leased now under `label`; returns how many.
    qint64 takeLeased(int label);
    // How many labels had at least one of their leased deliveries end in 'lease_expired' with
    // the attempt it held at the snapshot.
    qint64 labelsWithExpiredLease() const;

private:
    QString m_url;
};

// A TCP proxy in front of PostgreSQL, on its own thread, so agents can be cut off from the
// database while the server stays up. cut() drops every connection and holds new ones open
// without forwarding a byte (a black hole, as a partition looks); restore() forwards again.
class TcpProxy
{
public:
    explicit TcpProxy(quint16 targetPort);
    ~TcpProxy();
    bool start();
    quint16 port() const { return m_port; }
    // `url` with its port replaced by the proxy's.
    QString through(const QString &url) const;
    void cut();
    void restore();
    int connections() const; // forwarded connections open now

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker = nullptr;
    quint16 m_targetPort = 0;
    quint16 m_port = 0;
};

// The TCP ports (local side) of the sockets process `pid` holds: its database connections.
QSet<quint16> localPortsOf(int pid);

} // namespace ferry::chaos
