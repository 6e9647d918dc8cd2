// The live feed (wss://…/v1/live) under the connection's pin: after the agent's key changes
// behind the same address, the feed's reconnection is refused like the API's requests are (the
// token is not sent, no snapshot arrives), and its status names both key fingerprints.
#include "console/core/apiclient.h"
#include "console/core/livefeed.h"
#include "tests/gui/consoletestagent.h"

#include <QPointer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::LiveFeed;

namespace {

// A TCP relay in front of an agent's API: each new connection goes to the current target port,
// so the agent behind an address can change while the console's open connections stay put.
class Relay : public QObject
{
public:
    explicit Relay(quint16 target)
        : m_target(target)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &Relay::accept);
        m_server.listen(QHostAddress::LocalHost);
    }

    quint16 port() const { return m_server.serverPort(); }
    void setTarget(quint16 target) { m_target = target; }
    // Closes the connection that last carried bytes from the agent to the console.
    void dropLastActive()
    {
        if (m_lastActive)
            m_lastActive->abort();
    }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            auto *agent = new QTcpSocket(client);
            connect(client, &QTcpSocket::readyRead, agent,
                    [client, agent] { agent->write(client->readAll()); });
            connect(agent, &QTcpSocket::readyRead, client, [this, client, agent] {
                m_lastActive = client;
                client->write(agent->readAll());
            });
            connect(agent, &QTcpSocket::connected, agent,
                    [client, agent] { agent->write(client->readAll()); });
            connect(agent, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            connect(client, &QTcpSocket::disconnected, agent, &QTcpSocket::disconnectFromHost);
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            agent->connectToHost(QHostAddress::LocalHost, m_target);
        }
    }

    QTcpServer m_server;
    quint16 m_target;
    QPointer<QTcpSocket> m_lastActive;
};

} // namespace

class TestConsoleLiveFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void reconnectionToAnotherKeyIsRefused()
    {
        test::ConsoleTestAgent agent(u"console_livefeed"_s);
        QString error;
        QVERIFY2(agent.prepare(&error), qPrintable(error));
        QVERIFY2(agent.start(), qPrintable(agent.output()));
        Relay relay(agent.apiPort());
        QVERIFY(relay.port() != 0);

        console::ConnectionProfile profile = agent.profile(agent.fingerprint());
        profile.url.setPort(relay.port());
        ApiClient client;
        client.setProfile(profile, agent.token(u"viewer"_s));
        LiveFeed feed(&client);
        QSignalSpy snapshots(&feed, &LiveFeed::snapshot);
        QSignalSpy statuses(&feed, &LiveFeed::statusChanged);
        client.connectToAgent();
        QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty(), 30000);

        // Another agent on the same database (the token is valid there) with another key.
        QTemporaryDir otherDir;
        const QString otherPin = agent.generateCertificate(otherDir.path());
        QVERIFY(!otherPin.isEmpty() && otherPin != agent.fingerprint());
        const quint16 otherPort = test::freePort();
        const auto impostor = agent.startImpostor(otherDir.path(), otherPort);
        QVERIFY(impostor);

        // From now on the address leads to the impostor. The feed's connection is the one that
        // carries a snapshot: drop it (the API's own kept-alive connection stays with the agent).
        relay.setTarget(otherPort);
        bool dropped = false;
        connect(&feed, &LiveFeed::snapshot, this, [&] {
            if (!std::exchange(dropped, true))
                relay.dropLastActive();
        });
        QTRY_VERIFY_WITH_TIMEOUT(dropped, 10000);
        snapshots.clear();
        const auto refused = [&] {
            for (const auto &s : statuses) {
                const QString text = s.first().toString();
                if (text.contains(otherPin) && text.contains(agent.fingerprint()))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(refused() || !snapshots.isEmpty(), 30000);
        QVERIFY2(snapshots.isEmpty(), "the live feed took snapshots from another key");
        QVERIFY(!feed.isOpen());
        QVERIFY(impostor->terminate());
    }
};

QTEST_MAIN(TestConsoleLiveFeed)
#include "tst_console_livefeed.moc"
