#include "agent/api/apiserver.h"

#include "agent/api/apihttpserver.h"

#include "agent/net/tlssettings.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QSslConfiguration>
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
    Thread(ApiServer::Options options, const QSslConfiguration &tls)
        : m_options(std::move(options))
        , m_tls(tls)
    {}
    std::promise<QString> listening; // empty: fine; otherwise why not

protected:
    void run() override
    {
        ApiHttpServer http(m_options, m_tls);
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

Result<void> ApiServer::start()
{
    auto tls = net::serverTls(
        {m_options.certificateFile, m_options.privateKeyFile, m_options.clientCaFile, u"api"_s});
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
