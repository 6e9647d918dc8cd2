#include "tests/support/providersim.h"

#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace ferry::test {

QString providerSimBinary()
{
    return QStringLiteral(FERRY_PROVIDERSIM_BIN);
}

ProviderSim::ProviderSim(QStringList arguments)
    : m_arguments(std::move(arguments))
    , m_tls(m_arguments.contains(u"--tls-cert"_s))
{}

ProviderSim::~ProviderSim() = default;

bool ProviderSim::start(int timeoutMs)
{
    m_port = freePort();
    m_process = std::make_unique<Process>(
        providerSimBinary(), QStringList{u"--port"_s, QString::number(m_port),
                                         u"--write-fcm-service-account"_s, serviceAccountFile()} +
                                 m_arguments);
    if (!m_process->start())
        return false;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs && m_process->isRunning()) {
        if (output().contains("listening on "_L1))
            return true;
        QTest::qWait(20);
    }
    qWarning("ferry-provider-sim did not start: %s", qPrintable(output()));
    return false;
}

QString ProviderSim::baseUrl() const
{
    return u"%1://127.0.0.1:%2"_s.arg(m_tls ? u"https"_s : u"http"_s).arg(m_port);
}

QJsonObject ProviderSim::serviceAccount() const
{
    QFile file(serviceAccountFile());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonObject ProviderSim::stats(const QString &provider) const
{
    HttpRequest r;
    r.method = "GET";
    r.url = baseUrl() + u"/_sim/stats?messages=1"_s;
    if (m_tls)
        r.caFile = m_arguments.value(m_arguments.indexOf(u"--tls-cert"_s) + 1);
    const QJsonObject all = QJsonDocument::fromJson(http(r).body).object();
    return provider.isEmpty() ? all : all.value(provider).toObject();
}

bool ProviderSim::setKnobs(const QJsonObject &knobs) const
{
    HttpRequest r;
    r.url = baseUrl() + u"/_sim/knobs"_s;
    r.body = QJsonDocument(knobs).toJson(QJsonDocument::Compact);
    if (m_tls)
        r.caFile = m_arguments.value(m_arguments.indexOf(u"--tls-cert"_s) + 1);
    return http(r).status == 200;
}

bool ProviderSim::reset() const
{
    HttpRequest r;
    r.url = baseUrl() + u"/_sim/reset"_s;
    if (m_tls)
        r.caFile = m_arguments.value(m_arguments.indexOf(u"--tls-cert"_s) + 1);
    return http(r).status == 200;
}

QString ProviderSim::output() const
{
    return m_process ? m_process->output() : QString();
}

} // namespace ferry::test
