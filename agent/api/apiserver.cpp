#include "agent/api/apiserver.h"

#include "agent/api/apihttpserver.h"

#include <QFile>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QSslConfiguration>
#include <QSslKey>
#include <QThread>

#include <future>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

namespace {

Q_LOGGING_CATEGORY(lcApi, "ferry.agent.api", QtInfoMsg)

} // namespace

class ApiServer::Thread : public QThread
{
public:
    Thread(ApiServer::Options options, QSslConfiguration tls)
        : m_options(std::move(options))
        , m_tls(std::move(tls))
    {}
    std::promise<QString> listening; // empty: fine; otherwise why not

protected:
    void run() override
    {
        ApiHttpServer http(m_options);
        http.sslSetup(m_tls);
        const qsizetype colon = m_options.listen.lastIndexOf(u':');
        const QHostAddress address(m_options.listen.left(colon));
        const quint16 port = m_options.listen.mid(colon + 1).toUShort();
        if (colon <= 0 || address.isNull() || http.listen(address, port) == 0) {
            listening.set_value(u"cannot listen on %1 (api.listen)"_s.arg(m_options.listen));
            return;
        }
        listening.set_value({});
        exec();
    }

private:
    ApiServer::Options m_options;
    QSslConfiguration m_tls;
};

ApiServer::ApiServer(Options options)
    : m_options(std::move(options))
{}

ApiServer::~ApiServer()
{
    stop();
}

namespace {

// The server's TLS settings from its certificate, key and optional client CA files.
Result<QSslConfiguration> tlsConfiguration(const ApiServer::Options &options)
{
    QFile certFile(options.certificateFile), keyFile(options.privateKeyFile);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return makeError(u"cannot read the API certificate %1 or key %2 (api.certificate, "
                         "api.private_key); 'ferry-agent cert generate' writes a pair"_s.arg(
                             options.certificateFile, options.privateKeyFile));
    const auto certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
    if (certs.isEmpty() || key.isNull())
        return makeError(u"the API certificate or key is not valid PEM"_s);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(certs);
    tls.setPrivateKey(key);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (!options.clientCaFile.isEmpty()) {
        const auto ca = QSslCertificate::fromPath(options.clientCaFile);
        if (ca.isEmpty())
            return makeError(u"api.client_ca %1 holds no certificate"_s.arg(options.clientCaFile));
        tls.setCaCertificates(ca);
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return tls;
}

} // namespace

Result<void> ApiServer::start()
{
    auto tls = tlsConfiguration(m_options);
    if (!tls)
        return tls.error();
    m_thread = std::make_unique<Thread>(m_options, *tls);
    auto ready = m_thread->listening.get_future();
    m_thread->start();
    const QString error = ready.get();
    if (!error.isEmpty()) {
        m_thread->wait();
        m_thread.reset();
        return makeError(error);
    }
    qCInfo(lcApi).noquote() << "TLS API on" << m_options.listen
                            << (m_options.clientCaFile.isEmpty()
                                    ? ""
                                    : "(client certificates required)");
    return {};
}

void ApiServer::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
}

} // namespace ferry::agent::api
