// Ingest benchmark (docs/performance.md): events acknowledged per second by one ferry-agent over
// ZeroMQ (1, 4 and 16 producers sending single events, 4 producers sending batches of 100) and
// over HTTP (32 and 256 keep-alive connections), the agent's peak RSS, and, in the same run,
// pgbench inserting one row per transaction with 8 clients as this machine's reference.
//
// PostgreSQL, the agent and this load generator share the machine. The tenant has no endpoints,
// so dispatch has nothing to do: this measures ingest alone. Missed targets are reported (OK /
// BELOW), never failed: timing goals live in recorded results. The test fails only on real
// errors: the agent does not start, an event is not acknowledged with 202, or the database does
// not hold exactly the events that were acknowledged.
//
// Environment: FERRY_BENCH_SECONDS (measured seconds per scenario, default 10),
// FERRY_BENCH_WARMUP (seconds before measuring, default 2), FERRY_BENCH_HTTP_CONNECTIONS
// (one HTTP scenario with this many connections instead of 32 and 256), FERRY_BENCH_REPORT
// (Markdown output, default <build>/bench-ingest.md), FERRY_BENCH_ONLY (run only the scenarios
// whose name contains this text, for experiments). FERRY_DATABASE_URL points it at another
// PostgreSQL server, as for the other tests.
#include "agent/store/pgconnection.h"
#include "tests/bench/benchsupport.h"
#include "tests/bench/load.h"
#include "tests/bench/rsssampler.h"
#include "tests/support/testsupport.h"

#include "shared/producer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QVersionNumber>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

using namespace ferry;
using namespace ferry::bench;
using namespace Qt::StringLiterals;

namespace {

// --- Events ---------------------------------------------------------------------------------

std::atomic<quint64> g_sequence{0};

// A 300-byte CloudEvent with an id never used before in this run (the database is fresh).
QByteArray makeEvent()
{
    return bench::makeEvent("bench", "/bench/ingest", ++g_sequence);
}

// One ferry::Producer that publishes again from each answer's callback (on the producer's
// thread) until the load stops.
class ZmqFeeder
{
public:
    ZmqFeeder(Load &load, Producer::Options options, int batchSize)
        : m_load(load)
        , m_producer(std::move(options))
        , m_batchSize(batchSize)
    {}
    Result<void> start() { return m_producer.start(); }
    void close() { m_producer.close(); }
    void next()
    {
        ++m_load.inFlight;
        if (m_batchSize == 1) {
            m_producer.publish(makeEvent(), [this](const PublishResult &r) {
                if (r.status == 202)
                    ++m_load.accepted;
                else
                    m_load.fail(u"PUB answered %1: %2"_s.arg(r.status).arg(r.error));
                if (!m_load.stop.load())
                    next();
                m_load.requestDone();
            });
            return;
        }
        QList<QByteArray> events;
        events.reserve(m_batchSize);
        for (int i = 0; i < m_batchSize; ++i)
            events.append(makeEvent());
        m_producer.publishBatch(events, [this](const BatchPublishResult &b) {
            if (b.status != 200 || b.items.size() != m_batchSize) {
                m_load.fail(u"BATCH answered %1 with %2 items: %3"_s.arg(b.status)
                                .arg(b.items.size())
                                .arg(b.error));
            } else {
                for (const PublishResult &r : b.items) {
                    if (r.status == 202) {
                        ++m_load.accepted;
                    } else {
                        m_load.fail(u"batch item answered %1: %2"_s.arg(r.status).arg(r.error));
                        break;
                    }
                }
            }
            if (!m_load.stop.load())
                next();
            m_load.requestDone();
        });
    }

private:
    Load &m_load;
    Producer m_producer;
    int m_batchSize;
};

// HTTP load: one thread, `connections` keep-alive TCP connections driven by epoll, each sending
// its next POST as soon as its answer is complete. A minimal HTTP/1.1 client (request with
// Content-Length; answer with a status line, headers and a Content-Length body) instead of
// libcurl, whose ~40 µs of CPU per request took a fifth of the machine from the agent and
// PostgreSQL it measures (docs/performance.md). Any answer other than 202, a malformed answer
// or a connection closed with a request in flight fails the run; a connection the agent closes
// after an answer is opened again and counted (the keep-alive check).
class HttpFeeder
{
public:
    HttpFeeder(Load &load, quint16 port, QByteArray token, int connections)
        : m_load(load)
        , m_port(port)
        , m_token(std::move(token))
        , m_connections(connections)
    {}
    ~HttpFeeder()
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    void start()
    {
        m_thread = std::thread([this] { run(); });
    }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    long connectionsOpened() const { return m_connects.load(); }

private:
    struct Conn
    {
        int fd = -1;
        QByteArray out; // unsent bytes of the current request
        QByteArray in;  // bytes of the answer so far
        bool waiting = false;
    };

    bool open(int epoll, Conn &c)
    {
        c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c.fd < 0)
            return false;
        const int one = 1;
        ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(m_port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(c.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            return false;
        const int flags = ::fcntl(c.fd, F_GETFL);
        ::fcntl(c.fd, F_SETFL, flags | O_NONBLOCK);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = &c;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, c.fd, &ev);
        ++m_connects;
        return true;
    }

    void close(int epoll, Conn &c)
    {
        if (c.fd < 0)
            return;
        ::epoll_ctl(epoll, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        c.fd = -1;
    }

    // Writes what the socket takes; waits for EPOLLOUT only when it takes less.
    bool flush(int epoll, Conn &c)
    {
        while (!c.out.isEmpty()) {
            const ssize_t n = ::send(c.fd, c.out.constData(), size_t(c.out.size()), MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                epoll_event ev{};
                ev.events = EPOLLIN | EPOLLOUT;
                ev.data.ptr = &c;
                ::epoll_ctl(epoll, EPOLL_CTL_MOD, c.fd, &ev);
                return true;
            }
            if (n <= 0)
                return false;
            c.out.remove(0, n);
        }
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = &c;
        ::epoll_ctl(epoll, EPOLL_CTL_MOD, c.fd, &ev);
        return true;
    }

    bool send(int epoll, Conn &c)
    {
        const QByteArray body = makeEvent();
        c.out = m_head + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        c.in.clear();
        c.waiting = true;
        ++m_load.inFlight;
        return flush(epoll, c);
    }

    // The length of a complete answer at the start of `in`, 0 while it is incomplete, -1 when
    // it is not HTTP/1.1 with a Content-Length.
    static qsizetype answerLength(const QByteArray &in, int *status, bool *closes)
    {
        const qsizetype headEnd = in.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return in.size() > 16384 ? -1 : 0;
        if (!in.startsWith("HTTP/1.1 ") || in.size() < 12)
            return -1;
        *status = QByteArrayView(in.constData() + 9, 3).toInt();
        const QByteArray head = in.left(headEnd).toLower();
        const qsizetype cl = head.indexOf("\r\ncontent-length:");
        if (cl < 0)
            return -1;
        const qsizetype valueEnd = head.indexOf("\r\n", cl + 2);
        const qsizetype length =
            head.mid(cl + 17, (valueEnd < 0 ? head.size() : valueEnd) - cl - 17)
                .trimmed()
                .toLongLong();
        *closes = head.contains("\r\nconnection: close");
        const qsizetype total = headEnd + 4 + length;
        return in.size() >= total ? total : 0;
    }

    void run()
    {
        m_head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                 "\r\nAuthorization: Bearer " + m_token +
                 "\r\nContent-Type: application/cloudevents+json\r\nContent-Length: ";
        const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
        std::vector<Conn> conns(static_cast<size_t>(m_connections));
        for (Conn &c : conns) {
            if (!open(epoll, c) || !send(epoll, c)) {
                m_load.fail(u"cannot connect to the agent's HTTP port %1: %2"_s.arg(m_port).arg(
                    QString::fromLocal8Bit(std::strerror(errno))));
                break;
            }
        }
        std::vector<epoll_event> events(64);
        char buffer[16384];
        while (m_load.inFlight.load() > 0) {
            const int n = ::epoll_wait(epoll, events.data(), int(events.size()), 100);
            for (int i = 0; i < n; ++i) {
                Conn &c = *static_cast<Conn *>(events[size_t(i)].data.ptr);
                if (c.fd < 0)
                    continue;
                if ((events[size_t(i)].events & EPOLLOUT) && !flush(epoll, c)) {
                    finish(epoll, c, u"sending a request failed"_s);
                    continue;
                }
                if (!(events[size_t(i)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                    continue;
                for (;;) {
                    const ssize_t got = ::recv(c.fd, buffer, sizeof buffer, 0);
                    if (got > 0) {
                        c.in.append(buffer, got);
                        continue;
                    }
                    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        break;
                    // Closed by the agent.
                    finish(epoll, c, u"the agent closed the connection with a request in flight"_s);
                    break;
                }
                if (c.fd < 0 || !c.waiting)
                    continue;
                int status = 0;
                bool closes = false;
                const qsizetype length = answerLength(c.in, &status, &closes);
                if (length == 0)
                    continue;
                if (length < 0) {
                    finish(epoll, c,
                           u"malformed HTTP answer: %1"_s.arg(QString::fromUtf8(c.in.left(300))));
                    continue;
                }
                c.waiting = false;
                if (status != 202)
                    m_load.fail(u"HTTP answered %1: %2"_s.arg(status).arg(
                        QString::fromUtf8(c.in.left(length).right(300))));
                else
                    ++m_load.accepted;
                c.in.remove(0, length);
                m_load.requestDone();
                if (closes) {
                    close(epoll, c);
                    if (!m_load.stop.load() && !open(epoll, c))
                        m_load.fail(u"cannot reconnect to the agent"_s);
                }
                if (!m_load.stop.load() && c.fd >= 0 && !send(epoll, c))
                    finish(epoll, c, u"sending a request failed"_s);
            }
        }
        for (Conn &c : conns)
            close(epoll, c);
        ::close(epoll);
    }

    void finish(int epoll, Conn &c, const QString &why)
    {
        close(epoll, c);
        if (c.waiting) {
            c.waiting = false;
            m_load.fail(why);
            m_load.requestDone();
        }
    }

    Load &m_load;
    quint16 m_port;
    QByteArray m_token;
    QByteArray m_head;
    int m_connections;
    std::atomic<long> m_connects{0};
    std::thread m_thread;
};

// --- Results ----------------------------------------------------------------------------------

struct ScenarioResult
{
    QString name;
    QString setup;      // producers, window
    qint64 events = 0;  // acknowledged within the measured window
    double seconds = 0; // length of the measured window
    double rate = 0;    // events per second
    double target = 0;  // 0: no target
    CpuSplit cpu;
    qint64 peakRssKb = 0;
    double eventsPerCommit = 0; // the batch writer's transactions, whole scenario
};

} // namespace

class BenchIngest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_warmup = std::chrono::seconds(envInt("FERRY_BENCH_WARMUP", 2));
        m_measure = std::chrono::seconds(envInt("FERRY_BENCH_SECONDS", 10));
    }

    void ingest();

private:
    // Runs one scenario: starts the load, measures acknowledged events over the window after
    // the warm-up, stops the load and waits until every request in flight is answered.
    template <typename Start, typename Stop>
    bool measure(ScenarioResult &result, Load &load, Start start, Stop stopped)
    {
        const qint64 before = load.accepted.load();
        if (m_rss)
            m_rss->takeScenarioPeakKb(); // the peak of this scenario starts now
        start();
        load.waitFor(m_warmup);
        const CpuSnapshot a = cpuSnapshot(m_agentPid, m_postmaster);
        const qint64 c0 = load.accepted.load();
        load.waitFor(m_measure);
        const CpuSnapshot b = cpuSnapshot(m_agentPid, m_postmaster);
        const qint64 c1 = load.accepted.load();
        load.stop = true;
        const bool drained = load.waitIdle(std::chrono::seconds(120));
        stopped();
        result.events = c1 - c0;
        result.seconds = std::chrono::duration<double>(b.at - a.at).count();
        result.rate = result.seconds > 0 ? double(result.events) / result.seconds : 0;
        result.cpu = cpuSplit(a, b);
        result.peakRssKb = m_rss ? m_rss->takeScenarioPeakKb() : 0;
        m_totalAccepted += load.accepted.load() - before;
        std::printf("  %-28s %9s events in %5.2f s = %9s events/s   (cpu: agent %.2f, "
                    "postgres %.2f, load %.2f, irq %.2f, other %.2f; RSS peak %.0f MB)\n",
                    qPrintable(result.name), qPrintable(fmtInt(double(result.events))),
                    result.seconds, qPrintable(fmtInt(result.rate)), result.cpu.agent,
                    result.cpu.postgres, result.cpu.loadGenerator, result.cpu.interrupts,
                    result.cpu.other, double(result.peakRssKb) / 1024.0);
        std::fflush(stdout);
        if (!drained)
            load.fail(u"%1 requests got no answer within 120 s"_s.arg(load.inFlight.load()));
        return load.failures.load() == 0;
    }

    bool zmqScenario(ScenarioResult &result, const ProducerCredentials &credentials, int producers,
                     int batchSize, int window)
    {
        Load load;
        std::vector<std::unique_ptr<ZmqFeeder>> feeders;
        for (int p = 0; p < producers; ++p) {
            Producer::Options o;
            o.credentials = credentials;
            o.maxInFlight = window;
            o.maxQueued = window * 2;
            // No resends during the run: a resend would add work that is not new events.
            o.resendAfter = std::chrono::seconds(60);
            o.giveUpAfter = std::chrono::seconds(120);
            feeders.push_back(std::make_unique<ZmqFeeder>(load, o, batchSize));
            if (auto started = feeders.back()->start(); !started) {
                qWarning().noquote() << "producer did not start:" << started.error().message;
                return false;
            }
        }
        const bool ok = measure(
            result, load,
            [&] {
                for (int i = 0; i < window; ++i) {
                    for (auto &f : feeders)
                        f->next();
                }
            },
            [&] {
                for (auto &f : feeders)
                    f->close();
            });
        if (!ok)
            qWarning().noquote() << result.name << "failed:" << load.firstError;
        return ok;
    }

    bool httpScenario(ScenarioResult &result, quint16 port, const QByteArray &token,
                      int connections, long *connects)
    {
        Load load;
        HttpFeeder feeder(load, port, token, connections);
        const bool ok = measure(
            result, load, [&] { feeder.start(); }, [&] { feeder.join(); });
        *connects = feeder.connectionsOpened();
        if (!ok)
            qWarning().noquote() << result.name << "failed:" << load.firstError;
        return ok;
    }

    bool commitsSince(const QString &url, ScenarioResult &r)
    {
        qint64 events = 0, commits = 0;
        if (!countCommits(url, &events, &commits))
            return false;
        if (commits > m_commitsSoFar)
            r.eventsPerCommit = double(events - m_eventsSoFar) / double(commits - m_commitsSoFar);
        std::printf("  %-28s (%.0f events per batch writer transaction)\n", "", r.eventsPerCommit);
        m_eventsSoFar = events;
        m_commitsSoFar = commits;
        return true;
    }

    // Events and the batch writer's transactions so far: the events of one transaction share
    // their received_at (now(), the transaction's start).
    bool countCommits(const QString &url, qint64 *events, qint64 *transactions)
    {
        agent::store::PgConnection db;
        if (!db.open(url))
            return false;
        auto r = db.exec("SELECT count(*), count(DISTINCT received_at) FROM events");
        if (!r.ok())
            return false;
        *events = r->int64(0, 0);
        *transactions = r->int64(0, 1);
        return true;
    }

    // Each scenario starts without the previous one's dirty pages waiting to be written.
    // CHECKPOINT needs a superuser (or pg_checkpoint): on another server, go on without it.
    void checkpoint(const QString &url)
    {
        agent::store::PgConnection db;
        if (!db.open(url) || !db.exec("CHECKPOINT").ok()) {
            if (!std::exchange(m_checkpointWarned, true))
                qWarning("CHECKPOINT failed: scenarios start with the previous one's dirty pages");
        }
    }

    std::chrono::milliseconds m_warmup{2000};
    std::chrono::milliseconds m_measure{10000};
    qint64 m_agentPid = 0;
    qint64 m_postmaster = 0;
    qint64 m_totalAccepted = 0;
    qint64 m_eventsSoFar = 0;
    bool m_checkpointWarned = false;
    qint64 m_commitsSoFar = 0;
    RssSampler *m_rss = nullptr;
};

void BenchIngest::ingest()
{
    const auto startedAt = Clock::now();
    test::TestDatabase db(u"bench"_s);
    QVERIFY2(db.ok(), qPrintable(db.error()));
    const auto migrated =
        test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, db.url()}});
    QVERIFY2(migrated.exitCode == 0, qPrintable(migrated.err));
    // One tenant, no quotas, no endpoints: events are stored and routed to nobody.
    const QString token = test::createTenant(db.url(), u"bench"_s);
    QVERIFY(!token.isEmpty());
    const quint16 httpPort = test::freePort();
    const quint16 zmqPort = test::freePort();
    const ProducerCredentials credentials = test::addProducer(db.url(), u"bench"_s, zmqPort);
    QVERIFY(!credentials.publicKey.isEmpty());

    // The server's settings and its postmaster (for CPU accounting), from one backend.
    QString pgVersion, syncCommit, fsync, walLevel, sharedBuffers, maxWal;
    {
        agent::store::PgConnection pg;
        QVERIFY(pg.open(db.url()).ok());
        auto r = pg.exec("SELECT pg_backend_pid(), current_setting('server_version'), "
                         "current_setting('synchronous_commit'), current_setting('fsync'), "
                         "current_setting('wal_level'), current_setting('shared_buffers'), "
                         "current_setting('max_wal_size')");
        QVERIFY(r.ok());
        m_postmaster = postmasterOf(r->int64(0, 0));
        pgVersion = r->text(0, 1);
        syncCommit = r->text(0, 2);
        fsync = r->text(0, 3);
        walLevel = r->text(0, 4);
        sharedBuffers = r->text(0, 5);
        maxWal = r->text(0, 6);
        QVERIFY(pg.exec("CREATE TABLE bench_ref (id bigserial PRIMARY KEY, payload text)").ok());
    }
    if (m_postmaster == 0)
        qWarning("PostgreSQL runs elsewhere: its CPU is not accounted");

    // 1. The reference: pgbench, one INSERT per transaction, 8 clients, 2 threads.
    QStringList pgbins =
        QDir(u"/usr/lib/postgresql"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(pgbins.begin(), pgbins.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) < QVersionNumber::fromString(b);
    });
    const QString pgbench =
        pgbins.isEmpty() ? QString() : u"/usr/lib/postgresql/%1/bin/pgbench"_s.arg(pgbins.last());
    QVERIFY2(!pgbench.isEmpty() && QFile::exists(pgbench),
             "pgbench not found under /usr/lib/postgresql/*/bin: install the 'postgresql' package");
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QString script = scratch.filePath(u"insert.sql"_s);
    {
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("INSERT INTO bench_ref (payload) VALUES ('x');\n");
    }
    checkpoint(db.url());
    const int pgbenchSeconds = int(m_measure.count() / 1000);
    std::printf("\nferry ingest benchmark: pgbench reference (%d s), then the agent\n",
                pgbenchSeconds);
    std::fflush(stdout);
    const CpuSnapshot pa = cpuSnapshot(0, m_postmaster);
    const auto ref = test::run(pgbench,
                               {u"-n"_s, u"-c"_s, u"8"_s, u"-j"_s, u"2"_s, u"-T"_s,
                                QString::number(pgbenchSeconds), u"-f"_s, script, db.url()},
                               {}, (pgbenchSeconds + 60) * 1000);
    const CpuSnapshot pb = cpuSnapshot(0, m_postmaster);
    QVERIFY2(ref.exitCode == 0, qPrintable(ref.err + ref.out));
    const auto tpsMatch =
        QRegularExpression(u"tps = ([0-9.]+) \\(without initial connection time\\)"_s)
            .match(ref.out);
    QVERIFY2(tpsMatch.hasMatch(), qPrintable(ref.out));
    const double pgbenchTps = tpsMatch.captured(1).toDouble();
    const CpuSplit pgbenchCpu = cpuSplit(pa, pb, true);
    std::printf("  %-28s %9s tx/s                          (cpu: postgres %.2f, pgbench %.2f, "
                "irq %.2f, other %.2f)\n",
                "pgbench 1 row/tx, 8 clients", qPrintable(fmtInt(pgbenchTps)), pgbenchCpu.postgres,
                pgbenchCpu.loadGenerator, pgbenchCpu.interrupts, pgbenchCpu.other);
    std::fflush(stdout);

    // 2. The agent, with the default timings rather than the tests' short ones, and a queue
    //    large enough for every request the load keeps in flight.
    auto env = test::agentEnvironment(db.url(), httpPort, zmqPort);
    env.insert(u"FERRY_INGEST_QUEUE_LIMIT"_s, u"200000"_s);
    env.insert(u"FERRY_ZMQ_KEY_REFRESH"_s, u"2s"_s);
    env.insert(u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"1s"_s);
    test::Process agent(test::agentBinary(), {u"run"_s}, env);
    QVERIFY(agent.start());
    QVERIFY2(test::waitForHealthy(httpPort), qPrintable(agent.output()));
    m_agentPid = agent.pid();
    RssSampler rss(m_agentPid);
    m_rss = &rss;
    // The first ZeroMQ connection waits for the agent's producer keys (CURVE): one event first.
    {
        Producer warm({credentials});
        QVERIFY(warm.start().ok());
        const PublishResult r = warm.publish(makeEvent()).get();
        QVERIFY2(r.status == 202, qPrintable(r.error));
        ++m_totalAccepted;
    }
    QVERIFY(countCommits(db.url(), &m_eventsSoFar, &m_commitsSoFar));

    struct Spec
    {
        QString name;
        int producers;
        int batch;
        int window; // requests in flight per producer
        double target;
    };
    const std::vector<Spec> specs = {
        {u"ZeroMQ PUB, 1 producer"_s, 1, 1, 1000, 0},
        {u"ZeroMQ PUB, 4 producers"_s, 4, 1, 1000, 0},
        {u"ZeroMQ PUB, 16 producers"_s, 16, 1, 1000, std::max(25000.0, 3 * pgbenchTps)},
        {u"ZeroMQ BATCH 100, 4 producers"_s, 4, 100, 20, 40000},
    };
    const QString only = qEnvironmentVariable("FERRY_BENCH_ONLY");
    std::vector<ScenarioResult> results;
    for (const Spec &s : specs) {
        if (!s.name.contains(only))
            continue;
        checkpoint(db.url());
        ScenarioResult r;
        r.name = s.name;
        r.setup =
            s.batch == 1
                ? u"%1 × ferry::Producer, %2 PUB in flight each"_s.arg(s.producers).arg(s.window)
                : u"%1 × ferry::Producer, %2 BATCH of %3 in flight each"_s.arg(s.producers)
                      .arg(s.window)
                      .arg(s.batch);
        r.target = s.target;
        QVERIFY2(zmqScenario(r, credentials, s.producers, s.batch, s.window),
                 qPrintable(agent.output().right(2000)));
        QVERIFY(commitsSince(db.url(), r));
        results.push_back(r);
        QVERIFY2(agent.isRunning(), qPrintable(agent.output().right(2000)));
    }
    // HTTP: few clients (each request's commit shared by few others), then many (the group
    // commit's case, where the target applies). FERRY_BENCH_HTTP_CONNECTIONS runs one count.
    long connects = 0;
    int connectionsAllowed = 0;
    std::vector<int> httpConnections = {32, 256};
    if (const int count = int(envInt("FERRY_BENCH_HTTP_CONNECTIONS", 0)); count > 0)
        httpConnections = {count};
    for (const int n : httpConnections) {
        if (!u"HTTP POST"_s.contains(only))
            break;
        checkpoint(db.url());
        ScenarioResult r;
        r.name = u"HTTP POST, %1 connections"_s.arg(n);
        r.setup = u"%1 keep-alive connections (epoll, HTTP/1.1), 1 event per request"_s.arg(n);
        r.target = n == httpConnections.back() ? 15000 : 0;
        long opened = 0;
        QVERIFY2(httpScenario(r, httpPort, token.toUtf8(), n, &opened),
                 qPrintable(agent.output().right(2000)));
        QVERIFY(commitsSince(db.url(), r));
        results.push_back(r);
        connects += opened;
        connectionsAllowed += 2 * n;
    }
    QVERIFY2(connects <= connectionsAllowed, "HTTP connections were not kept alive");

    // Every acknowledged event is in the database, and nothing else.
    const QString stored = db.scalar(u"SELECT count(*) FROM events"_s);
    QCOMPARE(stored, QString::number(m_totalAccepted));
    rss.sample();
    const double peakMb = double(std::max(rss.peakKb(), rss.hwmKb())) / 1024.0;
    m_rss = nullptr;
    QVERIFY2(agent.terminate(), qPrintable(agent.output().right(2000)));
    const double total = std::chrono::duration<double>(Clock::now() - startedAt).count();

    // 3. The report, on stdout and as Markdown.
    double zmq16Rate = 0;
    for (const ScenarioResult &r : results) {
        if (r.name == "ZeroMQ PUB, 16 producers"_L1)
            zmq16Rate = r.rate;
    }
    const double ratio = pgbenchTps > 0 ? zmq16Rate / pgbenchTps : 0;
    QString md;
    md +=
        u"Run of %1 on %2 (%3 cores), PostgreSQL %4 (synchronous_commit=%5, fsync=%6, "
        "wal_level=%7, shared_buffers=%8, max_wal_size=%9); warm-up %10 s, then %11 s "
        "measured per scenario; whole run %12 s.\n\n"_s
            .arg(QDateTime::currentDateTime().toString(Qt::ISODate), QSysInfo::prettyProductName(),
                 QString::number(std::thread::hardware_concurrency()), pgVersion, syncCommit, fsync,
                 walLevel, sharedBuffers, maxWal)
            .arg(m_warmup.count() / 1000)
            .arg(m_measure.count() / 1000)
            .arg(qint64(total));
    md += u"| scenario | load | events | seconds | events/s | target | result | CPU agent / "
          "postgres / load gen. / irq / other (cores) | events per commit | agent RSS peak |\n"
          "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |\n"_s;
    for (const ScenarioResult &r : results) {
        md +=
            u"| %1 | %2 | %3 | %4 | **%5** | %6 | %7 | %8 / %9 / %10 / %11 / %12 | %13 | %14 MB "
            "|\n"_s
                .arg(r.name, r.setup, fmtInt(double(r.events)), QString::number(r.seconds, 'f', 2),
                     fmtInt(r.rate), r.target > 0 ? u"≥ "_s + fmtInt(r.target) : u"—"_s,
                     verdict(r.rate, r.target), QString::number(r.cpu.agent, 'f', 2),
                     QString::number(r.cpu.postgres, 'f', 2))
                .arg(QString::number(r.cpu.loadGenerator, 'f', 2),
                     QString::number(r.cpu.interrupts, 'f', 2),
                     QString::number(r.cpu.other, 'f', 2),
                     QString::number(r.eventsPerCommit, 'f', 0),
                     QString::number(double(r.peakRssKb) / 1024.0, 'f', 0));
    }
    md += u"\n| reference | value | target | result |\n| --- | ---: | ---: | --- |\n"_s;
    md += u"| pgbench, 1 INSERT per transaction, 8 clients (-c 8 -j 2 -T %1) | %2 tx/s (CPU: "
          "postgres %3, pgbench %4 cores) | | |\n"_s.arg(pgbenchSeconds)
              .arg(fmtInt(pgbenchTps), QString::number(pgbenchCpu.postgres, 'f', 2),
                   QString::number(pgbenchCpu.loadGenerator, 'f', 2));
    md += u"| ZeroMQ PUB (16 producers) ÷ pgbench | %1× | ≥ 3× | %2 |\n"_s.arg(
        QString::number(ratio, 'f', 2), verdict(ratio, 3));
    md +=
        u"| agent peak RSS (max of VmRSS every 50 ms and VmHWM) | %1 MB | < 200 MB | %2 |\n"_s.arg(
            QString::number(peakMb, 'f', 0), peakMb < 200 ? u"OK"_s : u"BELOW"_s);
    md += u"| HTTP connections opened (keep-alive check) | %1 | | |\n"_s.arg(connects);
    md += u"| events acknowledged in the run, all found in `events` | %1 | | |\n"_s.arg(
        fmtInt(double(m_totalAccepted)));

    const auto written = writeReport(md, QStringLiteral(FERRY_BENCH_REPORT));
    QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().message));
}

QTEST_GUILESS_MAIN(BenchIngest)
#include "bench_ingest.moc"
