#include "agent/inbound/inboundreceiver.h"

#include "agent/app/logging.h"
#include "agent/inbound/inboundcheck.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/store/inbound/connectorstore.h"
#include "agent/store/inbound/inboxstore.h"
#include "agent/store/pgconnection.h"
#include "shared/problem.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::inbound {

namespace {

constexpr QByteArrayView kProblem = "application/problem+json";

net::HttpResponse problem(int status, const QString &slug, const QString &title,
                          const QString &detail, QList<QPair<QByteArray, QByteArray>> headers = {})
{
    return {status, kProblem.toByteArray(), Problem::make(status, slug, title, detail).toJson(),
            std::move(headers)};
}

void count(const QString &kind, const char *result)
{
    metrics::AgentMetrics::instance().inboundRequests.inc({kind.toLatin1(), result});
}

// "/v1/inbound/{tenant}/{connector}": the two names, or nothing for any other path.
std::optional<std::pair<QString, QString>> names(const QString &path)
{
    const QStringList parts = path.split(u'/');
    if (parts.size() != 5 || parts[3].isEmpty() || parts[4].isEmpty())
        return std::nullopt;
    return std::pair{parts[3], parts[4]};
}

bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() && !a.isEmpty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace

InboundReceiver::InboundReceiver(Options options)
    : m_options(std::move(options))
{}

InboundReceiver::~InboundReceiver()
{
    stop();
}

void InboundReceiver::start()
{
    m_thread = std::thread([this] { run(); });
}

void InboundReceiver::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

bool InboundReceiver::submit(net::HttpRequest &&request, Done done)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || qsizetype(m_queue.size()) >= m_options.queueLimit)
            return false;
        m_queue.push_back({std::move(request), std::move(done)});
    }
    m_wake.notify_one();
    return true;
}

void InboundReceiver::run()
{
    m_db = std::make_unique<store::PgConnection>();
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                break; // stopping, and every request answered
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        job.done(handle(job.request));
    }
    m_db.reset();
}

bool InboundReceiver::connected()
{
    if (m_db->isOpen() && !m_db->isBroken())
        return true;
    m_db->close();
    if (auto r = m_db->open(m_options.databaseUrl, m_options.connectTimeoutSeconds); !r) {
        qCWarning(lcIngest).noquote() << "inbound: database unreachable:" << r.error().message;
        return false;
    }
    return true;
}

net::HttpResponse InboundReceiver::handle(const net::HttpRequest &request)
{
    const auto where = names(request.url.path());
    if (!where)
        return problem(404, u"not-found"_s, u"Not found"_s,
                       u"inbound webhooks go to /v1/inbound/{tenant}/{connector}"_s);
    if (request.method != "POST" && request.method != "GET")
        return problem(405, u"method-not-allowed"_s, u"Method not allowed"_s,
                       u"providers POST their webhooks (GET answers WhatsApp's subscription "
                       "handshake)"_s,
                       {{"Allow", "GET, POST"}});
    const auto unavailable = [](const QString &why) {
        count(u"unknown"_s, "unavailable");
        return problem(503, u"unavailable"_s, u"Unavailable"_s, why, {{"Retry-After", "5"}});
    };
    if (!m_options.masterKey)
        return unavailable(u"this agent has no master key to open connectors with"_s);
    if (!connected())
        return unavailable(u"the database is unreachable; the provider will retry"_s);
    auto connector =
        store::ConnectorStore(*m_db, {}).open(where->first, where->second, &*m_options.masterKey);
    if (!connector && connector.error().code == 404) {
        count(u"unknown"_s, "unknown_connector");
        return problem(404, u"unknown-connector"_s, u"Unknown connector"_s,
                       connector.error().message + u": create it with 'ferryctl connectors put'"_s);
    }
    if (!connector) {
        qCWarning(lcIngest).noquote() << "inbound:" << connector.error().message;
        return unavailable(u"the connector cannot be opened now"_s);
    }
    return request.method == "GET" ? handshake(*connector, request) : receive(*connector, request);
}

net::HttpResponse InboundReceiver::handshake(const store::InboundConnector &connector,
                                             const net::HttpRequest &request)
{
    const QUrlQuery query(request.url);
    const QByteArray token =
        query.queryItemValue(u"hub.verify_token"_s, QUrl::FullyDecoded).toUtf8();
    if (connector.kind != "whatsapp"_L1 || query.queryItemValue(u"hub.mode"_s) != "subscribe"_L1 ||
        !sameSecret(token, connector.verifyToken)) {
        count(connector.kind, "bad_signature");
        return problem(403, u"forbidden"_s, u"Forbidden"_s,
                       u"only a WhatsApp connector answers GET, to hub.mode=subscribe with its "
                       "verify token"_s);
    }
    return {200, "text/plain",
            query.queryItemValue(u"hub.challenge"_s, QUrl::FullyDecoded).toUtf8()};
}

net::HttpResponse InboundReceiver::receive(const store::InboundConnector &connector,
                                           const net::HttpRequest &request)
{
    const QByteArray url = calledUrl(connector.settings, request, m_options.tls);
    auto checked = checkRequest(connector, request, url, QDateTime::currentSecsSinceEpoch());
    if (!checked) {
        const InboundRefusal &r = checked.error();
        count(connector.kind, QByteArray(r.slug.toLatin1()).replace('-', '_').constData());
        return problem(r.status, r.slug, u"Signature refused"_s, r.detail);
    }
    // Signed, so the sender may learn why: nothing is stored, the provider may retry later.
    if (connector.tenantDisabled) {
        count(connector.kind, "tenant_disabled");
        return problem(403, u"tenant-disabled"_s, u"Tenant disabled"_s,
                       u"tenant '%1' is disabled; an admin enables it with PATCH /v1/tenants/%1 "
                       "{\"disabled\": false}"_s.arg(connector.tenant));
    }
    const store::InboxRequest entry{connector.id,
                                    connector.tenantId,
                                    checked->dedupeKey,
                                    checked->providerEventId,
                                    QString::fromUtf8(url),
                                    QString::fromUtf8(request.header("content-type")),
                                    request.body};
    auto stored = store::InboxStore(*m_db).receive(entry);
    if (!stored) {
        qCWarning(lcIngest).noquote() << "inbound: not stored:" << stored.error().message;
        count(connector.kind, "unavailable");
        return problem(503, u"unavailable"_s, u"Unavailable"_s,
                       u"the request could not be stored; the provider will retry"_s,
                       {{"Retry-After", "5"}});
    }
    count(connector.kind, stored->second ? "duplicate" : "received");
    if (!stored->second && m_options.stored)
        m_options.stored();
    const QJsonObject answer{{u"status"_s, u"received"_s},
                             {u"inbox_id"_s, stored->first},
                             {u"duplicate"_s, stored->second}};
    return {200, "application/json", QJsonDocument(answer).toJson(QJsonDocument::Compact)};
}

} // namespace ferry::agent::inbound
