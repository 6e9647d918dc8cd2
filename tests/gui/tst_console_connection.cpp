// The console's connection to a real agent over TLS: trust on first use pins the key the agent
// printed; another key is refused without sending the token; system trust refuses a self-signed
// certificate while its CA file is accepted; a refused token; the role as the console finds it;
// automatic reconnection after the agent restarts; a profile with several agents of one
// installation fails over to the next when the one it talks to stops, and back.
#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "tests/gui/consoletestagent.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUrlQuery>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::ConnectionProfile;
using console::Role;

class TestConsoleConnection : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_connection"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QVERIFY2(m_agent->start(), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void trustOnFirstUseThenPinMismatchIsRefused()
    {
        ApiClient client;
        QSignalSpy trust(&client, &ApiClient::trustRequired);
        QSignalSpy pinned(&client, &ApiClient::pinned);
        client.setProfile(m_agent->profile(), m_agent->token(u"admin"_s));
        client.connectToAgent();
        // First contact: the console shows the key's fingerprint, the one `cert generate`
        // printed, and waits for the user.
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::TrustRequired, 20000);
        QCOMPARE(trust.size(), 1);
        QCOMPARE(trust.first().first().toString(), m_agent->fingerprint());
        QCOMPARE(client.role(), Role::Unknown);
        // Confirmed: pinned, connected, and the admin token's role found.
        client.trustFingerprint(trust.first().first().toString());
        QCOMPARE(pinned.size(), 1);
        QCOMPARE(pinned.first().first().value<ConnectionProfile>().pin, m_agent->fingerprint());
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(client.role(), Role::Admin, 20000);

        // A second agent on the same database with another key, at an address the profile pinned
        // to the first key: refused, with both fingerprints in the explanation.
        QTemporaryDir otherDir;
        const QString otherPin = m_agent->generateCertificate(otherDir.path());
        QVERIFY(!otherPin.isEmpty());
        QVERIFY(otherPin != m_agent->fingerprint());
        const quint16 otherPort = test::freePort();
        const auto impostor = m_agent->startImpostor(otherDir.path(), otherPort);
        QVERIFY(impostor);

        ConnectionProfile moved = m_agent->profile(m_agent->fingerprint());
        moved.url.setPort(otherPort);
        ApiClient second;
        QSignalSpy secondTrust(&second, &ApiClient::trustRequired);
        second.setProfile(moved, m_agent->token(u"admin"_s));
        second.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), ApiClient::State::PinMismatch, 20000);
        QVERIFY(secondTrust.isEmpty()); // never offered to trust the other key silently
        QVERIFY2(second.lastError().contains(otherPin), qPrintable(second.lastError()));
        QVERIFY2(second.lastError().contains(m_agent->fingerprint()),
                 qPrintable(second.lastError()));
        QVERIFY(second.lastError().contains(u"not sent"_s));
        // Requests through the refused client fail too: nothing reaches the impostor.
        bool answered = false;
        int status = -1;
        second.get(u"/v1/overview"_s, {}, nullptr, [&](const console::ApiResponse &r) {
            answered = true;
            status = r.status;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
        QCOMPARE(status, 0);
        QVERIFY(impostor->terminate());
    }

    void systemTrustRefusesTheSelfSignedCertificateAndItsCaFileIsAccepted()
    {
        ConnectionProfile p = m_agent->profile();
        p.trust = ConnectionProfile::Trust::System;
        ApiClient system;
        system.setProfile(p, m_agent->token(u"viewer"_s));
        system.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(system.state(), ApiClient::State::TlsFailed, 20000);
        QVERIFY2(system.lastError().contains(u"CA file"_s), qPrintable(system.lastError()));

        p.trust = ConnectionProfile::Trust::CaFile;
        p.caFile = m_agent->certFile();
        ApiClient withCa;
        withCa.setProfile(p, m_agent->token(u"viewer"_s));
        withCa.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(withCa.state(), ApiClient::State::Connected, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(withCa.role(), Role::Viewer, 20000);

        p.caFile = u"/nonexistent/ca.pem"_s;
        ApiClient missing;
        missing.setProfile(p, m_agent->token(u"viewer"_s));
        missing.connectToAgent();
        QCOMPARE(missing.state(), ApiClient::State::TlsFailed);
        QVERIFY(missing.lastError().contains(u"/nonexistent/ca.pem"_s));
    }

    void refusedTokenAndRoles()
    {
        ApiClient bad;
        bad.setProfile(m_agent->profile(m_agent->fingerprint()), u"fat_not-a-token"_s);
        bad.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(bad.state(), ApiClient::State::Unauthorized, 20000);
        QVERIFY2(bad.lastError().contains(u"token"_s), qPrintable(bad.lastError()));

        ApiClient op;
        op.setProfile(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"operator"_s));
        op.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(op.role(), Role::Operator, 20000);
        // Asking for the role acted on nothing: no audit entry from an API token.
        QCOMPARE(m_agent->db().scalar(u"SELECT count(*) FROM audit_log WHERE actor LIKE 'api:%'"_s),
                 u"0"_s);
    }

    void reconnectsAfterTheAgentRestarts()
    {
        ApiClient client;
        client.setProfile(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"viewer"_s));
        client.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 20000);
        QVERIFY(m_agent->stop());
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Retrying, 30000);
        QVERIFY2(client.stateText().contains(u"trying again"_s), qPrintable(client.stateText()));
        QVERIFY2(m_agent->start(), qPrintable(m_agent->output()));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 60000);
    }

    void failsOverBetweenTheAgentsOfAProfile()
    {
        // A second agent on the same database with the same key pair, as an installation of
        // two agents behind one pinned profile has them.
        const quint16 secondPort = test::freePort();
        auto second =
            m_agent->startImpostor(QFileInfo(m_agent->certFile()).absolutePath(), secondPort);
        QVERIFY(second);
        ConnectionProfile profile = m_agent->profile(m_agent->fingerprint());
        QUrl other = profile.url;
        other.setPort(secondPort);
        profile.name = u"Production"_s;
        profile.otherUrls = {other};

        ApiClient client;
        QSignalSpy switched(&client, &ApiClient::agentUrlChanged);
        client.setProfile(profile, m_agent->token(u"viewer"_s));
        client.connectToAgent();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 20000);
        QCOMPARE(client.currentUrl().port(), int(m_agent->apiPort()));
        QVERIFY2(client.stateText().contains(u":%1"_s.arg(m_agent->apiPort())),
                 qPrintable(client.stateText()));

        // The first agent stops: the console talks to the second without a backoff round, and
        // the role and requests carry on there.
        QVERIFY(m_agent->stop());
        QTRY_COMPARE_WITH_TIMEOUT(client.currentUrl().port(), int(secondPort), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 20000);
        QVERIFY(!switched.isEmpty());
        QVERIFY2(client.stateText().contains(u"Production (127.0.0.1:%1)"_s.arg(secondPort)),
                 qPrintable(client.stateText()));
        QTRY_COMPARE_WITH_TIMEOUT(client.role(), Role::Viewer, 20000);
        int status = 0;
        client.get(u"/v1/whoami"_s, {}, nullptr,
                   [&status](const console::ApiResponse &r) { status = r.status; });
        QTRY_COMPARE_WITH_TIMEOUT(status, 200, 20000);

        // The first comes back and the second stops: back to the first.
        QVERIFY2(m_agent->start(), qPrintable(m_agent->output()));
        second.reset();
        QTRY_COMPARE_WITH_TIMEOUT(client.currentUrl().port(), int(m_agent->apiPort()), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ApiClient::State::Connected, 20000);
    }
};

QTEST_MAIN(TestConsoleConnection)
#include "tst_console_connection.moc"
