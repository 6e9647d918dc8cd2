#include "tests/gui/consoletestagent.h"

#include <QDir>
#include <QImage>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace ferry::test {

ConsoleTestAgent::ConsoleTestAgent(const QString &databaseName)
    : m_db(std::make_unique<TestDatabase>(databaseName))
{}

ConsoleTestAgent::~ConsoleTestAgent()
{
    stop();
}

QHash<QString, QString> ConsoleTestAgent::env() const
{
    return {{u"FERRY_DATABASE_URL"_s, m_db->url()}};
}

RunResult ConsoleTestAgent::agentCommand(const QStringList &arguments) const
{
    return run(agentBinary(), arguments, env());
}

QString ConsoleTestAgent::generateCertificate(const QString &dir) const
{
    const RunResult cert = agentCommand({u"cert"_s, u"generate"_s, u"--out"_s, dir});
    const auto fp = QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out);
    return cert.exitCode == 0 && fp.hasMatch() ? fp.captured(1) : QString();
}

std::unique_ptr<Process> ConsoleTestAgent::startImpostor(const QString &certDir, quint16 apiPort,
                                                         const QHash<QString, QString> &extra) const
{
    const quint16 httpPort = freePort();
    auto environment = agentEnvironment(m_db->url(), httpPort);
    addApi(environment, apiPort, certDir);
    environment.insert(extra);
    auto impostor = std::make_unique<Process>(agentBinary(), QStringList{u"run"_s}, environment);
    if (!impostor->start() || !waitForHealthy(httpPort))
        return nullptr;
    return impostor;
}

bool ConsoleTestAgent::prepare(QString *error)
{
    if (!m_db->ok()) {
        *error = m_db->error();
        return false;
    }
    if (agentCommand({u"migrate"_s}).exitCode != 0) {
        *error = u"migrate failed"_s;
        return false;
    }
    m_fingerprint = generateCertificate(m_dir.path());
    if (m_fingerprint.isEmpty()) {
        *error = u"cert generate failed"_s;
        return false;
    }
    for (const QString &role : {u"viewer"_s, u"operator"_s, u"admin"_s}) {
        const RunResult r = agentCommand({u"token"_s, u"create"_s, u"--role"_s, role});
        if (r.exitCode != 0) {
            *error = u"token create failed: "_s + r.err;
            return false;
        }
        m_tokens.insert(role, r.out.trimmed());
    }
    m_apiPort = freePort();
    m_httpPort = freePort();
    return true;
}

bool ConsoleTestAgent::start(const QHash<QString, QString> &extra)
{
    auto environment = agentEnvironment(m_db->url(), m_httpPort);
    addApi(environment, m_apiPort, m_dir.path());
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        environment.insert(it.key(), it.value());
    m_agent = std::make_unique<Process>(agentBinary(), QStringList{u"run"_s}, environment);
    if (!m_agent->start() || !waitForHealthy(m_httpPort))
        return false;
    for (int i = 0; i < 200; ++i) {
        QTcpSocket probe;
        probe.connectToHost(u"127.0.0.1"_s, m_apiPort);
        if (probe.waitForConnected(500))
            return true;
        QTest::qWait(100);
    }
    return false;
}

bool ConsoleTestAgent::stop()
{
    if (!m_agent)
        return true;
    const bool ok = m_agent->terminate();
    m_agent.reset();
    return ok;
}

console::ConnectionProfile ConsoleTestAgent::profile(const QString &pin) const
{
    console::ConnectionProfile p;
    p.id = u"test"_s;
    p.name = u"test agent"_s;
    p.url = QUrl(u"https://127.0.0.1:%1"_s.arg(m_apiPort));
    p.trust = console::ConnectionProfile::Trust::Pinned;
    p.pin = pin;
    return p;
}

std::unique_ptr<console::ApiClient> ConsoleTestAgent::connectedClient(const QString &role) const
{
    auto client = std::make_unique<console::ApiClient>();
    client->setProfile(profile(m_fingerprint), token(role));
    client->connectToAgent();
    return client;
}

std::unique_ptr<Process> ConsoleTestAgent::addShopAndBilling(QString *shop, QString *billing)
{
    *shop = createTenant(m_db->url(), u"shop"_s);
    *billing = createTenant(m_db->url(), u"billing"_s);
    const quint16 receiverPort = freePort();
    const QString secret =
        addEndpoint(m_db->url(), u"shop"_s, u"http://127.0.0.1:%1/hook"_s.arg(receiverPort));
    const QString down =
        addEndpoint(m_db->url(), u"billing"_s, u"http://127.0.0.1:%1/down"_s.arg(freePort()));
    if (shop->isEmpty() || billing->isEmpty() || secret.isEmpty() || down.isEmpty())
        return nullptr;
    auto receiver = std::make_unique<Process>(
        receiverBinary(),
        QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(receiverPort), u"--secret"_s, secret});
    return receiver->start() ? std::move(receiver) : nullptr;
}

int publish(quint16 httpPort, const QString &producerToken, const QString &id,
            const QString &partitionKey)
{
    HttpRequest r;
    r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(httpPort);
    r.body = u"{\"specversion\":\"1.0\",\"id\":\"%1\",\"source\":\"/console-test\",\"type\":"
             "\"order.created\",\"partitionkey\":\"%2\",\"data\":{\"order\":\"%1\"}}"_s
                 .arg(id, partitionKey)
                 .toUtf8();
    r.headers = {{"Authorization", "Bearer " + producerToken.toUtf8()},
                 {"Content-Type", "application/cloudevents+json"}};
    return http(r).status;
}

bool saveScreenshot(QWidget &window, const QString &name)
{
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    QTemporaryDir temporary;
    const QString dir = qEnvironmentVariable("FERRY_SCREENSHOT_DIR", temporary.path());
    const QString path = QDir(dir).filePath(name);
    return window.grab().save(path) && QImage(path).width() >= 1280;
}

} // namespace ferry::test
