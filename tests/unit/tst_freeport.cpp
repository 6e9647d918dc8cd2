#include "tests/support/testsupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTest>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// The kernel's ephemeral range, read independently of freePort().
std::pair<int, int> ephemeralRange()
{
    QFile file(u"/proc/sys/net/ipv4/ip_local_port_range"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {32768, 60999};
    const QList<QByteArray> parts = file.readAll().simplified().split(' ');
    return {parts.value(0).toInt(), parts.value(1).toInt()};
}

QList<quint16> parsePorts(const QByteArray &text)
{
    QList<quint16> ports;
    for (const QByteArray &line : text.split('\n'))
        if (!line.isEmpty())
            ports.append(line.toUShort());
    return ports;
}

// Ports handed to another test process: the binary run with --print-ports, which exits at once.
QList<quint16> portsFromChild(int count, const QString &startPort = {})
{
    const auto r = ferry::test::run(QCoreApplication::applicationFilePath(),
                                    {u"--print-ports"_s, QString::number(count)},
                                    {{u"FERRY_TEST_PORT_START"_s, startPort}});
    if (r.exitCode != 0)
        qWarning().noquote() << "child failed:" << r.err;
    return r.exitCode == 0 ? parsePorts(r.out.toUtf8()) : QList<quint16>();
}

// Another test process that keeps its ports until its stdin is closed or it is killed.
struct Holder
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    QList<quint16> ports;

    explicit Holder(int count)
    {
        process->start(QCoreApplication::applicationFilePath(),
                       {u"--print-ports"_s, QString::number(count), u"--hold"_s});
        QByteArray out;
        while (out.count('\n') < count && process->waitForReadyRead(10000))
            out += process->readAllStandardOutput();
        ports = parsePorts(out);
    }
    ~Holder()
    {
        process->closeWriteChannel();
        if (!process->waitForFinished(10000))
            process->kill();
        process->waitForFinished();
    }
};

} // namespace

class TestFreePort : public QObject
{
    Q_OBJECT

    QList<quint16> m_ports;
    QSet<quint16> m_all; // every port this process was handed

    quint16 take()
    {
        const quint16 port = ferry::test::freePort();
        m_all.insert(port);
        return port;
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (int i = 0; i < 500; ++i)
            m_ports.append(take());
    }

    void portsAreDistinct()
    {
        QVERIFY(!m_ports.contains(0));
        QCOMPARE(QSet<quint16>(m_ports.cbegin(), m_ports.cend()).size(), m_ports.size());
    }

    void portsAreBindableOnLoopbackAndAnyAddress()
    {
        for (const quint16 port : std::as_const(m_ports)) {
            for (const QHostAddress &address :
                 {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::AnyIPv4)}) {
                QTcpServer server;
                QVERIFY2(server.listen(address, port),
                         qPrintable(u"%1:%2: %3"_s.arg(address.toString())
                                        .arg(port)
                                        .arg(server.errorString())));
            }
        }
    }

    void portsAreOutsideTheEphemeralRangeAndPostgresBand()
    {
        const auto [low, high] = ephemeralRange();
        if (low - 20000 < 1000 && 65535 - high < 1000)
            QSKIP("ip_local_port_range leaves no room for test ports outside it");
        for (const quint16 port : std::as_const(m_ports)) {
            QVERIFY2(
                port < low || port > high,
                qPrintable(u"%1 is in the ephemeral range %2-%3"_s.arg(port).arg(low).arg(high)));
            // scripts/pg-embedded.sh's band: a restarted cluster takes its old port back.
            QVERIFY2(port < 25432 || port > 25999, qPrintable(QString::number(port)));
        }
    }

    void concurrentCallersGetDistinctPorts()
    {
        std::vector<QList<quint16>> perThread(4);
        {
            std::vector<std::jthread> threads;
            for (auto &ports : perThread)
                threads.emplace_back([&ports] {
                    for (int i = 0; i < 50; ++i)
                        ports.append(ferry::test::freePort());
                });
        }
        QSet<quint16> seen;
        for (const auto &ports : perThread) {
            for (const quint16 port : ports) {
                QVERIFY(port != 0);
                QVERIFY2(!seen.contains(port) && !m_all.contains(port),
                         qPrintable(QString::number(port)));
                seen.insert(port);
            }
        }
        m_all.unite(seen);
    }

    void anotherProcessSkipsPortsThisProcessHolds()
    {
        // The child starts where this process's ports start, so it would get the same ones if
        // it did not see that they are held.
        QList<quint16> held;
        for (int i = 0; i < 20; ++i)
            held.append(take());
        const QList<quint16> child = portsFromChild(20, QString::number(held.first()));
        QCOMPARE(child.size(), 20);
        for (const quint16 port : child) {
            QVERIFY(port != 0);
            QVERIFY2(!m_all.contains(port),
                     qPrintable(u"child was handed %1, which this process holds"_s.arg(port)));
        }
    }

    void portsInUseAreSkipped_data()
    {
        QTest::addColumn<QString>("address");
        QTest::newRow("loopback") << u"127.0.0.1"_s;
        // Only the check on 0.0.0.0 sees this one: 127.0.0.1 does not clash with 127.0.0.2.
        QTest::newRow("other address") << u"127.0.0.2"_s;
    }

    void portsInUseAreSkipped()
    {
        QFETCH(QString, address);
        QTcpServer server;
        quint16 port = 0;
        {
            Holder holder(1); // keeps other test processes off the port while the server binds
            QCOMPARE(holder.ports.size(), 1);
            port = holder.ports.first();
            QVERIFY2(server.listen(QHostAddress(address), port), qPrintable(server.errorString()));
        }
        const QList<quint16> child = portsFromChild(1, QString::number(port));
        QCOMPARE(child.size(), 1);
        QVERIFY(child.first() != 0);
        QVERIFY2(child.first() != port,
                 qPrintable(u"handed out %1, which a server listens on"_s.arg(port)));
    }

    void aKilledProcessReleasesItsPorts()
    {
        // Another test process may take a released port before the check asks for it, hence a
        // few tries; a reservation that outlived its process fails every one.
        bool released = false;
        for (int attempt = 0; attempt < 3 && !released; ++attempt) {
            Holder holder(3);
            QCOMPARE(holder.ports.size(), 3);
            const QString start = QString::number(holder.ports.first());
            const QList<quint16> whileAlive = portsFromChild(1, start);
            QCOMPARE(whileAlive.size(), 1);
            QVERIFY(whileAlive.first() != holder.ports.first());
            holder.process->kill(); // SIGKILL: no chance to clean up
            QVERIFY(holder.process->waitForFinished(10000));
            released = portsFromChild(1, start).value(0) == holder.ports.first();
        }
        QVERIFY2(released, "the ports of a killed process stayed reserved");
    }
};

// With --print-ports N the binary plays another test process: it prints N ports from
// freePort(), one per line, and exits; with --hold only once its stdin is closed.
int main(int argc, char *argv[])
{
    if (argc >= 3 && qstrcmp(argv[1], "--print-ports") == 0) {
        for (int i = 0, n = std::atoi(argv[2]); i < n; ++i)
            std::printf("%d\n", int(ferry::test::freePort()));
        std::fflush(stdout);
        if (argc == 4 && qstrcmp(argv[3], "--hold") == 0)
            while (std::getchar() != EOF)
                continue; // until the parent closes our stdin
        return 0;
    }
    QCoreApplication app(argc, argv);
    TestFreePort test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_freeport.moc"
