#pragma once

#include "console/core/apiclient.h"
#include "console/core/connectionprofile.h"
#include "tests/support/testsupport.h"

#include <QHash>
#include <QTemporaryDir>

#include <memory>

class QWidget;

namespace ferry::test {

// A ferry-agent for the console's tests: its own database, a generated TLS certificate (and
// the fingerprint `cert generate` printed), API tokens per role, the API on a free port.
class ConsoleTestAgent
{
public:
    explicit ConsoleTestAgent(const QString &databaseName);
    ~ConsoleTestAgent();

    // Migrates, creates tokens (viewer, operator, admin) and a certificate.
    bool prepare(QString *error);
    // Starts the agent with extra environment; waits until its API accepts connections.
    bool start(const QHash<QString, QString> &extra = {});
    bool stop();

    TestDatabase &db() { return *m_db; }
    QHash<QString, QString> env() const;
    QString certFile() const { return m_dir.filePath(QStringLiteral("api.crt")); }
    QString keyFile() const { return m_dir.filePath(QStringLiteral("api.key")); }
    QString fingerprint() const { return m_fingerprint; }
    QString token(const QString &role) const { return m_tokens.value(role); }
    quint16 apiPort() const { return m_apiPort; }
    quint16 httpPort() const { return m_httpPort; }
    QString output() const { return m_agent ? m_agent->output() : QString(); }
    // A pinned profile (pin empty: trust on first use).
    console::ConnectionProfile profile(const QString &pin = {}) const;
    // A client with the token of `role`, pinned to this agent, connecting.
    std::unique_ptr<console::ApiClient> connectedClient(const QString &role) const;
    // Before start(): tenants "shop", its endpoint served by a receiver that accepts every
    // request (returned: keep it running), and "billing", whose endpoint is down (started with
    // FERRY_RETRY_MAX_ATTEMPTS=1 its deliveries die at once). Their producer tokens go to
    // *shop and *billing; null on failure.
    std::unique_ptr<Process> addShopAndBilling(QString *shop, QString *billing);

    // Another agent on the same database (this agent's tokens are valid there) with the
    // certificate generateCertificate() wrote into certDir, its API on apiPort, and `extra`
    // environment (FERRY_AGENTS_HEARTBEAT…); null unless it started and answers.
    std::unique_ptr<Process> startImpostor(const QString &certDir, quint16 apiPort,
                                           const QHash<QString, QString> &extra = {}) const;
    // `cert generate` into dir; returns the printed fingerprint ("" on failure).
    QString generateCertificate(const QString &dir) const;
    // The agent binary's command, with this agent's database.
    RunResult agentCommand(const QStringList &arguments) const;

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<Process> m_agent;
    QTemporaryDir m_dir;
    QString m_fingerprint;
    QHash<QString, QString> m_tokens;
    quint16 m_apiPort = 0;
    quint16 m_httpPort = 0;
};

// Shows the window at 1280×800 and saves it as `name` (a PNG) in FERRY_SCREENSHOT_DIR (a
// temporary folder without it, so that the test still renders it); false when that failed.
bool saveScreenshot(QWidget &window, const QString &name);

// Publishes one CloudEvent over HTTP ingest; returns the HTTP status.
int publish(quint16 httpPort, const QString &producerToken, const QString &id,
            const QString &partitionKey = QStringLiteral("k"));

} // namespace ferry::test
