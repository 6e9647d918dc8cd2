// With PostgreSQL stopped, ingest answers 503 with Retry-After and acknowledges nothing; once
// the server is back, the agent reconnects by itself and nothing was half-written.
#include "agent/store/pgconnection.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// A loopback listener that takes each connection and closes it at once: a database that
// refuses every client, and counts how often one tried.
class SlammingListener
{
public:
    SlammingListener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), len);
        ::listen(m_fd, 16);
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~SlammingListener()
    {
        m_stop = true;
        m_thread.join();
        ::close(m_fd);
    }
    quint16 port() const { return m_port; }
    int accepted() const { return m_accepted.load(); }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            if (const int client = ::accept(m_fd, nullptr, nullptr); client >= 0) {
                ++m_accepted;
                ::close(client);
            }
        }
    }

    int m_fd = -1;
    quint16 m_port = 0;
    std::atomic<int> m_accepted{0};
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace

class TestIngestDatabaseDown : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Every stage reconnects through PgConnection::open: after failed attempts it waits longer
    // each time, up to a cap, instead of calling an unreachable server at a fixed pace.
    void reconnectAttemptsBackOff()
    {
        SlammingListener server;
        // One TCP connection per attempt: no SSL or GSS attempt first, nor one without after.
        const QString url =
            u"postgresql://ferry@127.0.0.1:%1/ferry?sslmode=disable&gssencmode=disable"_s.arg(
                server.port());
        agent::store::PgConnection db;
        QString lastMessage;
        for (int attempt = 1; attempt <= 6; ++attempt) {
            QTest::qSleep(int(db.msUntilReconnect()) + 1);
            const auto opened = db.open(url, 2);
            QVERIFY(!opened);
            QVERIFY(opened.error().connectionLost);
            QCOMPARE(server.accepted(), attempt);
            lastMessage = opened.error().message;
        }
        // Six failures in: the wait is at its cap, at least half of it fixed (less what the
        // last attempt's return took), where a fixed pace would stay at its first step.
        const qint64 wait = db.msUntilReconnect();
        QVERIFY2(wait >= agent::store::PgConnection::kReconnectCapMs / 2 - 500 &&
                     wait <= agent::store::PgConnection::kReconnectCapMs,
                 qPrintable(QString::number(wait)));
        // Until then, open() answers with the last attempt's error and calls nobody.
        const auto paced = db.open(url, 2);
        QVERIFY(!paced);
        QCOMPARE(paced.error().message, lastMessage);
        QVERIFY(paced.error().connectionLost);
        QCOMPARE(server.accepted(), 6);
    }

    void unavailableDatabaseGets503AndNothingIsWritten()
    {
        QTemporaryDir dir;
        test::PrivateCluster cluster(dir.filePath(u"pg"_s));
        QVERIFY(cluster.start());
        const QString url = cluster.url();
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, url}})
                     .exitCode,
                 0);
        const QString token = test::createTenant(url, u"acme"_s);
        QVERIFY(!test::addEndpoint(url, u"acme"_s, u"http://127.0.0.1:9/hook"_s).isEmpty());

        const quint16 port = test::freePort();
        test::Process agent(test::agentBinary(), {u"run"_s}, test::agentEnvironment(url, port));
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(port), qPrintable(agent.output()));

        const auto post = [&](const QString &id) {
            test::HttpRequest r;
            r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(port);
            r.body = test::cloudEvent(id);
            r.headers = {{"Authorization", "Bearer " + token.toUtf8()},
                         {"Content-Type", "application/cloudevents+json"}};
            return test::http(r);
        };
        QCOMPARE(post(u"before"_s).status, 202);
        // /readyz looks at the stages and their database; /healthz only at the process.
        const auto probe = [&](const char *path, int want) {
            test::HttpRequest r;
            r.method = "GET";
            r.url = u"http://127.0.0.1:%1%2"_s.arg(port).arg(QLatin1StringView(path));
            test::HttpResponse got;
            QElapsedTimer waited;
            waited.start();
            while ((got = test::http(r)).status != want && waited.elapsed() < 30000)
                QTest::qWait(100);
            return got;
        };
        QCOMPARE(probe("/readyz", 200).body, QByteArray(R"({"status":"ready"})"));

        QVERIFY(cluster.stop());
        const auto notReady = probe("/readyz", 503);
        QCOMPARE(notReady.status, 503);
        QVERIFY2(notReady.body.contains("cannot reach PostgreSQL"), notReady.body.constData());
        QCOMPARE(probe("/healthz", 200).status, 200);
        for (int i = 0; i < 3; ++i) {
            const auto r = post(u"during"_s);
            QCOMPARE(r.status, 503);
            QVERIFY(r.headers.contains("retry-after"));
            const auto problem = QJsonDocument::fromJson(r.body).object();
            // "nothing was stored", or, when the connection broke during a commit, "may not
            // have been stored: send them again": either way, a resend is safe.
            QVERIFY2(problem.value("detail"_L1).toString().contains(u"PostgreSQL"_s),
                     r.body.constData());
        }

        QVERIFY(cluster.start());
        QCOMPARE(probe("/readyz", 200).status, 200);
        // Exactly the acknowledged event is there, with its delivery; nothing of the refused one.
        const auto sql = [&](const QString &q) {
            agent::store::PgConnection db;
            if (!db.open(url))
                return u"<no connection>"_s;
            auto r = db.exec(q.toUtf8().constData());
            return r.ok() && r->rows() ? r->text(0, 0) : u"<error>"_s;
        };
        QCOMPARE(sql(u"SELECT string_agg(ce_id, ',') FROM events"_s), u"before"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM ingest_keys"_s), u"1"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM deliveries"_s), u"1"_s);

        // The agent reconnects by itself: the refused event is new, not a duplicate.
        // (A plain loop: QTRY_* evaluates its expression again after success.)
        test::HttpResponse after;
        QElapsedTimer waited;
        waited.start();
        while ((after = post(u"during"_s)).status == 503 && waited.elapsed() < 20000)
            QTest::qWait(100);
        QCOMPARE(after.status, 202);
        QCOMPARE(QJsonDocument::fromJson(after.body).object().value("duplicate"_L1).toBool(),
                 false);
        QCOMPARE(sql(u"SELECT count(*) FROM events"_s), u"2"_s);
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
};

QTEST_GUILESS_MAIN(TestIngestDatabaseDown)
#include "tst_ingestdbdown.moc"
