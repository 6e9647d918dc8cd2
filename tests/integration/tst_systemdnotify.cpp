// The agent under a Type=notify unit: systemd's side of sd_notify(3) is played by a real
// datagram socket named in NOTIFY_SOCKET, as systemd hands it to the service. The watchdog is
// fed while the stages turn, stops while a batch writer lane hangs in a commit (a table lock
// held by this test), and comes back once the lane moves again.
#include "agent/store/pgconnection.h"
#include "tests/support/testsupport.h"

#include <QDeadlineTimer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <future>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// The listening end of NOTIFY_SOCKET.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray bytes = path.toLocal8Bit();
        std::memcpy(address.sun_path, bytes.constData(),
                    std::min(size_t(bytes.size()), sizeof address.sun_path - 1));
        m_bound = ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    }
    ~NotifySocket() { ::close(m_fd); }
    bool ok() const { return m_fd >= 0 && m_bound; }

    // The next notification, or empty after `timeoutMs`.
    QByteArray next(int timeoutMs)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) != 1)
            return {};
        char buffer[4096];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        return n > 0 ? QByteArray(buffer, n) : QByteArray();
    }

    // Reads notifications until one contains `needle` (returned whole), for up to `timeoutMs`.
    // Every notification read on the way is appended to `seen`.
    QByteArray waitFor(const QByteArray &needle, int timeoutMs, QList<QByteArray> &seen)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            const QByteArray message = next(int(deadline.remainingTime()));
            if (message.isEmpty())
                continue;
            seen.append(message);
            if (message.contains(needle))
                return message;
        }
        return {};
    }

private:
    int m_fd = -1;
    bool m_bound = false;
};

} // namespace

class TestSystemdNotify : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    QString m_token;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"systemdnotify"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        m_token = test::createTenant(m_db->url(), u"shop"_s);
        QVERIFY(m_token.startsWith(u"fpt_"_s));
    }

    void readyWatchdogStallAndStopping()
    {
        QTemporaryDir dir;
        NotifySocket notify(dir.filePath(u"notify"_s));
        QVERIFY(notify.ok());
        const quint16 port = test::freePort();
        auto env = test::agentEnvironment(m_db->url(), port);
        env.insert(u"NOTIFY_SOCKET"_s, dir.filePath(u"notify"_s));
        env.insert(u"WATCHDOG_USEC"_s, u"2000000"_s); // fed every 0.5 s; a stage stuck 1 s stops it
        env.insert(u"FERRY_INGEST_WRITERS"_s, u"1"_s);
        test::Process agent(test::agentBinary(), {u"run"_s}, env);
        QVERIFY(agent.start());

        QList<QByteArray> seen;
        const QByteArray ready = notify.waitFor("READY=1", 30000, seen);
        QVERIFY2(!ready.isEmpty(), qPrintable(agent.output()));
        QVERIFY2(ready.contains("STATUS=HTTP ingest on 127.0.0.1:" + QByteArray::number(port)),
                 ready.constData());
        for (int i = 0; i < 3; ++i)
            QVERIFY2(!notify.waitFor("WATCHDOG=1", 5000, seen).isEmpty(),
                     qPrintable(agent.output()));

        // A commit that hangs: the lane cannot insert while this session holds the table.
        agent::store::PgConnection locker;
        QVERIFY(locker.open(m_db->url()).ok());
        QVERIFY(locker.exec("BEGIN").ok());
        QVERIFY(locker.exec("LOCK TABLE events IN ACCESS EXCLUSIVE MODE").ok());
        test::HttpRequest post;
        post.url = u"http://127.0.0.1:%1/v1/events"_s.arg(port);
        post.headers = {{"Authorization", "Bearer " + m_token.toUtf8()},
                        {"Content-Type", "application/cloudevents+json"}};
        post.body = test::cloudEvent(u"stuck-1"_s);
        auto answer = std::async(std::launch::async, [post] { return test::http(post, 60000); });

        const QByteArray stalled =
            notify.waitFor("STATUS=stalled: batch writer lane 1", 20000, seen);
        QVERIFY2(!stalled.isEmpty(), seen.join(" | ").constData());
        QVERIFY(!stalled.contains("WATCHDOG=1"));
        // While the lane hangs, two feeding periods pass without a feed.
        QList<QByteArray> whileStuck;
        notify.waitFor("WATCHDOG=1", 1500, whileStuck);
        for (const QByteArray &message : whileStuck)
            QVERIFY2(!message.contains("WATCHDOG=1"), message.constData());

        QVERIFY(locker.exec("ROLLBACK").ok());
        // The first feed again, with the status line back to normal.
        const QByteArray back = notify.waitFor("STATUS=HTTP ingest on", 10000, seen);
        QVERIFY2(back.contains("WATCHDOG=1"), seen.join(" | ").constData());
        QCOMPARE(answer.get().status, 202); // the event was committed once the lock went
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id = 'stuck-1'"_s), u"1"_s);

        ::kill(agent.pid(), SIGTERM);
        const QByteArray stopping = notify.waitFor("STOPPING=1", 10000, seen);
        QVERIFY2(!stopping.isEmpty(), seen.join(" | ").constData());
        QVERIFY(stopping.contains("STATUS=stopping"));
        QVERIFY(agent.terminate());
    }
};

QTEST_GUILESS_MAIN(TestSystemdNotify)
#include "tst_systemdnotify.moc"
