#include "agent/api/apiserver.h"

#include "agent/api/writeroutes.h"
#include "agent/app/logging.h"
#include "agent/store/adminstore.h"
#include "agent/store/apistore.h"
#include "agent/store/dlqstore.h"

#include <QAbstractHttpServer>
#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpSocket>
#include <QThread>
#include <QUrlQuery>

#include <future>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

using store::Role;
using Scope = RouteInfo::Scope;

const QList<RouteInfo> &ApiServer::routes()
{
    static const QList<RouteInfo> table = {
        {"GET", u"/v1/overview"_s, Role::Viewer, Scope::Filtered,
         u"Deliveries by state, DLQ size, lag and recent events"_s},
        {"GET", u"/v1/tenants"_s, Role::Viewer, Scope::Filtered, u"List tenants"_s},
        {"POST", u"/v1/tenants"_s, Role::Admin, Scope::GlobalOnly,
         u"Create a tenant; answers its first producer token once"_s},
        {"GET", u"/v1/tenants/{tenant}"_s, Role::Viewer, Scope::Tenant,
         u"One tenant with its quotas"_s},
        {"GET", u"/v1/deliveries/{id}"_s, Role::Viewer, Scope::Tenant,
         u"A delivery's trace: event, attempts, notes"_s},
        {"GET", u"/v1/dlq"_s, Role::Viewer, Scope::Filtered, u"List dead deliveries"_s},
        {"POST", u"/v1/dlq/replay"_s, Role::Operator, Scope::Filtered,
         u"Replay by ids, or by filter with an optional dry run"_s},
        {"POST", u"/v1/dlq/{id}/discard"_s, Role::Operator, Scope::Tenant,
         u"Discard a dead delivery with a reason"_s},
        {"POST", u"/v1/dlq/{id}/notes"_s, Role::Operator, Scope::Tenant,
         u"Annotate, assign or triage a dead delivery"_s},
        {"GET", u"/v1/audit"_s, Role::Admin, Scope::GlobalOnly, u"The audit log, newest first"_s},
        {"GET", u"/v1/tenants/{tenant}/producers"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's producer tokens and CURVE keys"_s},
        {"POST", u"/v1/tenants/{tenant}/producers"_s, Role::Admin, Scope::Tenant,
         u"Create a producer token or CURVE key pair; answers its secret once"_s},
        {"DELETE", u"/v1/tenants/{tenant}/producers/{num}"_s, Role::Admin, Scope::Tenant,
         u"Revoke a producer token or CURVE key (?kind=token|curve)"_s},
        {"GET", u"/v1/routes"_s, Role::Viewer, Scope::Filtered, u"List routes"_s},
        {"POST", u"/v1/routes"_s, Role::Admin, Scope::Filtered,
         u"Create a route; answers a new signing secret once"_s},
        {"GET", u"/v1/routes/{num}"_s, Role::Viewer, Scope::Tenant, u"One route"_s},
        {"PATCH", u"/v1/routes/{num}"_s, Role::Admin, Scope::Tenant, u"Change a route"_s},
        {"DELETE", u"/v1/routes/{num}"_s, Role::Admin, Scope::Tenant,
         u"Disable a route; its deliveries keep their history"_s},
        {"GET", u"/v1/tenants/{tenant}/credentials"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's provider credentials: metadata, never secrets"_s},
        {"PUT", u"/v1/tenants/{tenant}/credentials/{name}"_s, Role::Admin, Scope::Tenant,
         u"Store a provider credential, sealed with the master key"_s},
        {"DELETE", u"/v1/tenants/{tenant}/credentials/{name}"_s, Role::Admin, Scope::Tenant,
         u"Delete a provider credential"_s},
    };
    return table;
}

namespace {

QByteArray problem(int status, const QString &slug, const QString &title, const QString &detail)
{
    return QJsonDocument(QJsonObject{{u"type"_s, u"urn:ferry:problem:"_s + slug},
                                     {u"title"_s, title},
                                     {u"status"_s, status},
                                     {u"detail"_s, detail}})
        .toJson(QJsonDocument::Compact);
}

QRegularExpression routePattern(const QString &path)
{
    QString re = QRegularExpression::escape(path);
    re.replace(u"\\{tenant\\}"_s, u"(?<tenant>[a-z0-9_-]+)"_s);
    re.replace(u"\\{id\\}"_s, u"(?<id>[0-9a-fA-F-]{36})"_s);
    re.replace(u"\\{num\\}"_s, u"(?<num>[0-9]{1,18})"_s);
    re.replace(u"\\{name\\}"_s, u"(?<name>[a-z0-9][a-z0-9_.-]{0,62})"_s);
    return QRegularExpression(u"^"_s + re + u"$"_s);
}

store::DlqFilter filterFrom(const QJsonObject &o)
{
    store::DlqFilter f;
    f.tenant = o.value("tenant"_L1).toString();
    f.endpointId = qint64(o.value("endpoint"_L1).toDouble());
    f.channel = o.value("channel"_L1).toString();
    f.reason = o.value("reason"_L1).toString();
    f.since = QDateTime::fromString(o.value("since"_L1).toString(), Qt::ISODate);
    f.until = QDateTime::fromString(o.value("until"_L1).toString(), Qt::ISODate);
    f.triageStatus = o.value("status"_L1).toString();
    f.limit = o.value("limit"_L1).toInt(100);
    return f;
}

QJsonObject deadJson(const store::DeadDelivery &d)
{
    return {{u"id"_s, d.id.toString(QUuid::WithoutBraces)},
            {u"tenant"_s, d.tenant},
            {u"event_id"_s, d.eventId.toString(QUuid::WithoutBraces)},
            {u"event_type"_s, d.eventType},
            {u"endpoint"_s, d.endpointId},
            {u"url"_s, d.url},
            {u"channel"_s, d.channel},
            {u"attempts"_s, d.attempts},
            {u"reason"_s, d.reason},
            {u"last_error"_s, d.lastError},
            {u"died_at"_s, d.finishedAt.toString(Qt::ISODate)},
            {u"triage_status"_s, d.triageStatus},
            {u"assignee"_s, d.assignee}};
}

class ApiHttp final : public QAbstractHttpServer
{
public:
    explicit ApiHttp(const ApiServer::Options &options)
        : m_options(options)
    {
        for (const auto &r : ApiServer::routes())
            m_patterns.append(routePattern(r.path));
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        Response response = handle(request);
        auto responder = makeResponder(request, socket);
        responder.write(response.body,
                        {{"Content-Type",
                          response.status >= 400 ? "application/problem+json" : "application/json"},
                         {"Cache-Control", "no-store"}},
                        QHttpServerResponder::StatusCode(response.status));
        return true;
    }

    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        makeResponder(request, socket)
            .write(problem(404, u"not-found"_s, u"Not found"_s, u"no such resource"_s),
                   "application/problem+json", QHttpServerResponder::StatusCode::NotFound);
    }

private:
    struct Response
    {
        int status = 200;
        QByteArray body;
    };
    static Response json(const QJsonValue &v, int status = 200)
    {
        return {status, v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                    : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)};
    }
    static Response fail(int status, const QString &slug, const QString &title,
                         const QString &detail)
    {
        return {status, problem(status, slug, title, detail)};
    }

    bool ensureDb()
    {
        if (m_db.isOpen())
            return true;
        return m_db.open(m_options.databaseUrl, m_options.connectTimeoutSeconds).ok();
    }

    // Too many failed logins from one address: refuse it for a minute.
    bool throttled(const QHostAddress &from)
    {
        auto it = m_failures.find(from.toString());
        if (it == m_failures.end())
            return false;
        if (it->second.elapsed() > 60000) {
            m_failures.erase(it);
            return false;
        }
        return it->first >= 10;
    }
    void recordFailure(const QHostAddress &from)
    {
        auto &entry = m_failures[from.toString()];
        if (!entry.second.isValid() || entry.second.elapsed() > 60000) {
            entry.first = 0;
            entry.second.start();
        }
        ++entry.first;
    }

    Response handle(const QHttpServerRequest &request)
    {
        const QString path = request.url().path();
        QByteArray method;
        switch (request.method()) {
        case QHttpServerRequest::Method::Get:
            method = "GET";
            break;
        case QHttpServerRequest::Method::Post:
            method = "POST";
            break;
        case QHttpServerRequest::Method::Put:
            method = "PUT";
            break;
        case QHttpServerRequest::Method::Patch:
            method = "PATCH";
            break;
        case QHttpServerRequest::Method::Delete:
            method = "DELETE";
            break;
        default:
            method = "OTHER";
        }
        qsizetype index = -1;
        QRegularExpressionMatch match;
        bool pathKnown = false;
        for (qsizetype i = 0; i < m_patterns.size(); ++i) {
            auto m = m_patterns[i].match(path);
            if (!m.hasMatch())
                continue;
            pathKnown = true;
            if (ApiServer::routes()[i].method == method) {
                index = i;
                match = m;
                break;
            }
        }
        if (index < 0)
            return pathKnown ? fail(405, u"method-not-allowed"_s, u"Method not allowed"_s,
                                    u"see docs/api.md for the methods of %1"_s.arg(path))
                             : fail(404, u"not-found"_s, u"Not found"_s,
                                    u"no resource at %1 (see docs/api.md)"_s.arg(path));
        const RouteInfo &route = ApiServer::routes()[index];

        // Authentication.
        const QHostAddress from = request.remoteAddress();
        QByteArray auth;
        for (const auto &h : request.headers()) {
            if (h.first.compare("authorization", Qt::CaseInsensitive) == 0)
                auth = h.second.trimmed();
        }
        if (!auth.startsWith("Bearer ")) {
            return fail(401, u"unauthorized"_s, u"Not authenticated"_s,
                        u"send 'Authorization: Bearer <token>' with a token from 'ferry-agent "
                        "token create'"_s);
        }
        const QByteArray token = auth.mid(7).trimmed();
        const QByteArray tokenHash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
        // An address that sent many bad tokens waits; tokens that worked lately still pass, so
        // guessing from one address cannot lock out the people behind it.
        if (throttled(from) && !m_recentlyValid.contains(tokenHash))
            return fail(429, u"too-many-failures"_s, u"Too many failed authentications"_s,
                        u"this address sent too many bad tokens; wait a minute"_s);
        if (!ensureDb())
            return fail(503, u"store-unavailable"_s, u"Database unavailable"_s,
                        u"the agent cannot reach PostgreSQL; retry shortly"_s);
        auto principal = store::ApiTokenStore(m_db).authenticate(token);
        if (auto *e = std::get_if<store::PgError>(&principal)) {
            if (e->connectionLost)
                m_db.close();
            return fail(503, u"store-unavailable"_s, u"Database unavailable"_s, e->message);
        }
        const auto &who = std::get<std::optional<store::ApiPrincipal>>(principal);
        if (!who) {
            recordFailure(from);
            m_recentlyValid.remove(tokenHash);
            return fail(401, u"unauthorized"_s, u"Not authenticated"_s,
                        u"the token is unknown, expired or revoked"_s);
        }
        if (m_recentlyValid.size() > 10000)
            m_recentlyValid.clear();
        m_recentlyValid.insert(tokenHash);

        // Authorization.
        if (int(who->role) < int(route.minRole))
            return fail(403, u"forbidden"_s, u"Forbidden"_s,
                        u"this needs the %1 role; the token has %2"_s.arg(
                            store::roleName(route.minRole), store::roleName(who->role)));
        if (route.scope == Scope::GlobalOnly && who->tenantId != 0)
            return fail(403, u"forbidden"_s, u"Forbidden"_s,
                        u"a tenant-scoped token cannot use this; it needs an unscoped token"_s);

        QJsonObject body;
        if ((method == "POST" || method == "PUT" || method == "PATCH") &&
            !request.body().isEmpty()) {
            QJsonParseError error;
            const auto doc = QJsonDocument::fromJson(request.body(), &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject())
                return fail(400, u"invalid-json"_s, u"Invalid request body"_s,
                            u"the body must be a JSON object"_s);
            body = doc.object();
        }
        return dispatch(route, match, request, *who, body);
    }

    Response notFound() const
    {
        return fail(404, u"not-found"_s, u"Not found"_s, u"no such resource"_s);
    }

    // A resource of one tenant: foreign ones do not exist for a scoped token.
    bool visible(const store::ApiPrincipal &who, qint64 tenantId) const
    {
        return tenantId != 0 && (who.tenantId == 0 || who.tenantId == tenantId);
    }

    QString actor(const store::ApiPrincipal &who) const
    {
        return u"api:token/%1"_s.arg(who.tokenId);
    }

    Response dispatch(const RouteInfo &route, const QRegularExpressionMatch &match,
                      const QHttpServerRequest &request, const store::ApiPrincipal &who,
                      const QJsonObject &body)
    {
        const QString key = QString::fromLatin1(route.method) + u' ' + route.path;
        store::ApiStore api(m_db);
        const QUuid id = QUuid::fromString(match.captured(u"id"_s));
        if (auto reply = WriteRoutes(m_db, m_options.masterKey, actor(who))
                             .handle(key, match, request, who, body))
            return {reply->status, reply->body};

        if (key == "GET /v1/overview"_L1) {
            auto r = api.overview(who.tenantId);
            return r ? json(*r) : storeError(r.error());
        }
        if (key == "GET /v1/tenants"_L1) {
            auto r = api.tenants(who.tenantId);
            return r ? json(QJsonObject{{u"items"_s, *r}}) : storeError(r.error());
        }
        if (key == "GET /v1/tenants/{tenant}"_L1) {
            auto r = api.tenant(match.captured(u"tenant"_s));
            if (!r)
                return storeError(r.error());
            return visible(who, r->first) ? json(r->second) : notFound();
        }
        if (key == "POST /v1/tenants"_L1) {
            store::AdminStore admin(m_db, actor(who));
            auto token = admin.createTenant(body.value("name"_L1).toString());
            if (!token)
                return fail(422, u"invalid-tenant"_s, u"Tenant not created"_s,
                            token.error().message);
            return json(QJsonObject{{u"name"_s, body.value("name"_L1)},
                                    {u"producer_token"_s, QString::fromLatin1(*token)}},
                        201);
        }
        if (key == "GET /v1/deliveries/{id}"_L1 || key == "POST /v1/dlq/{id}/discard"_L1 ||
            key == "POST /v1/dlq/{id}/notes"_L1) {
            auto owner = api.deliveryTenant(id);
            if (!owner)
                return storeError(owner.error());
            if (!visible(who, *owner))
                return notFound();
            store::DlqStore dlq(m_db, actor(who));
            if (key.startsWith("GET"_L1)) {
                auto d = dlq.show(id);
                if (!d)
                    return storeError(d.error());
                QJsonArray attempts, notes;
                for (const auto &a : d->attempts)
                    attempts.append(
                        QJsonObject{{u"attempt"_s, a.attempt},
                                    {u"started_at"_s, a.startedAt.toString(Qt::ISODate)},
                                    {u"outcome"_s, a.outcome},
                                    {u"status_code"_s, a.statusCode},
                                    {u"error"_s, a.error},
                                    {u"duration_ms"_s, a.durationMs}});
                for (const auto &n : d->notes)
                    notes.append(QJsonObject{{u"at"_s, n.at.toString(Qt::ISODate)},
                                             {u"actor"_s, n.actor},
                                             {u"note"_s, n.text}});
                QJsonObject o = deadJson(d->summary);
                o.insert(u"state"_s, d->state);
                o.insert(u"partition_key"_s, d->partitionKey);
                o.insert(u"event"_s, QJsonDocument::fromJson(d->payload).object());
                o.insert(u"attempt_log"_s, attempts);
                o.insert(u"notes"_s, notes);
                return json(o);
            }
            if (key.endsWith("discard"_L1)) {
                auto n = dlq.discard({id}, body.value("reason"_L1).toString());
                if (!n)
                    return fail(422, u"not-discarded"_s, u"Not discarded"_s, n.error().message);
                if (*n == 0)
                    return fail(409, u"not-dead"_s, u"Not dead"_s,
                                u"only dead deliveries can be discarded"_s);
                return json(QJsonObject{{u"discarded"_s, 1}});
            }
            auto r = dlq.annotate(id, body.value("note"_L1).toString(),
                                  body.contains("assignee"_L1)
                                      ? body.value("assignee"_L1).toString(u""_s)
                                      : QString(),
                                  body.value("status"_L1).toString());
            if (!r)
                return fail(422, u"not-recorded"_s, u"Not recorded"_s, r.error().message);
            return json(QJsonObject{{u"recorded"_s, true}});
        }
        if (key == "GET /v1/dlq"_L1) {
            QJsonObject query;
            const QUrlQuery q(request.url());
            for (const auto &item : q.queryItems(QUrl::FullyDecoded))
                query.insert(item.first, item.first == "endpoint"_L1 || item.first == "limit"_L1
                                             ? QJsonValue(item.second.toDouble())
                                             : QJsonValue(item.second));
            store::DlqFilter filter = filterFrom(query);
            if (who.tenantId != 0)
                filter.tenant = who.tenant;
            auto list = store::DlqStore(m_db, actor(who)).list(filter);
            if (!list)
                return storeError(list.error());
            QJsonArray items;
            for (const auto &d : *list)
                items.append(deadJson(d));
            return json(QJsonObject{{u"items"_s, items}});
        }
        if (key == "POST /v1/dlq/replay"_L1) {
            store::DlqStore dlq(m_db, actor(who));
            if (body.contains("ids"_L1)) {
                QList<QUuid> ids;
                for (const auto &v : body.value("ids"_L1).toArray()) {
                    const QUuid one = QUuid::fromString(v.toString());
                    auto owner = api.deliveryTenant(one);
                    if (!owner)
                        return storeError(owner.error());
                    if (!visible(who, *owner))
                        return fail(404, u"not-found"_s, u"Not found"_s,
                                    u"no delivery %1"_s.arg(v.toString()));
                    ids.append(one);
                }
                auto n = dlq.replay(ids);
                return n ? json(QJsonObject{{u"replayed"_s, *n}}) : storeError(n.error());
            }
            store::DlqFilter filter = filterFrom(body.value("filter"_L1).toObject());
            if (who.tenantId != 0)
                filter.tenant = who.tenant;
            const bool dry = body.value("dry_run"_L1).toBool();
            auto n = dlq.replayMatching(filter, dry);
            if (!n)
                return storeError(n.error());
            return json(QJsonObject{{dry ? u"would_replay"_s : u"replayed"_s, *n}});
        }
        if (key == "GET /v1/audit"_L1) {
            const QUrlQuery q(request.url());
            const int limit =
                q.hasQueryItem(u"limit"_s) ? q.queryItemValue(u"limit"_s).toInt() : 100;
            auto r =
                api.audit(std::clamp(limit, 1, 1000), q.queryItemValue(u"before"_s).toLongLong());
            return r ? json(QJsonObject{{u"items"_s, *r}}) : storeError(r.error());
        }
        return notFound();
    }

    Response storeError(const Error &e)
    {
        if (!m_db.isOpen() || m_db.isBroken())
            m_db.close();
        return fail(503, u"store-unavailable"_s, u"Database error"_s, e.message);
    }

    ApiServer::Options m_options;
    QList<QRegularExpression> m_patterns;
    store::PgConnection m_db;
    QHash<QString, std::pair<int, QElapsedTimer>> m_failures;
    QSet<QByteArray> m_recentlyValid;
};

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
        ApiHttp http(m_options);
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

Result<void> ApiServer::start()
{
    QFile certFile(m_options.certificateFile), keyFile(m_options.privateKeyFile);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return makeError(u"cannot read the API certificate %1 or key %2 (api.certificate, "
                         "api.private_key); 'ferry-agent cert generate' writes a pair"_s.arg(
                             m_options.certificateFile, m_options.privateKeyFile));
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
    if (!m_options.clientCaFile.isEmpty()) {
        const auto ca = QSslCertificate::fromPath(m_options.clientCaFile);
        if (ca.isEmpty())
            return makeError(
                u"api.client_ca %1 holds no certificate"_s.arg(m_options.clientCaFile));
        tls.setCaCertificates(ca);
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    m_thread = std::make_unique<Thread>(m_options, tls);
    auto ready = m_thread->listening.get_future();
    m_thread->start();
    const QString error = ready.get();
    if (!error.isEmpty()) {
        m_thread->wait();
        m_thread.reset();
        return makeError(error);
    }
    qCInfo(lcMain).noquote() << "TLS API on" << m_options.listen
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
