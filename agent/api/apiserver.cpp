#include "agent/api/apiserver.h"

#include "agent/adapters/webhookadapter.h"

#include "agent/api/livefeed.h"
#include "agent/api/writeroutes.h"
#include "agent/app/logging.h"
#include "agent/store/adminstore.h"
#include "agent/store/apistore.h"
#include "agent/store/dlqstore.h"
#include "agent/store/reportstore.h"

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
#include <QTimeZone>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <cmath>
#include <future>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

using store::Role;
using Scope = RouteInfo::Scope;

const QList<RouteInfo> &ApiServer::routes()
{
    static const QList<RouteInfo> table = {
        {"GET", u"/v1/whoami"_s, Role::Viewer, Scope::Filtered,
         u"The calling token: its role, tenant scope and the agent's version"_s},
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
        {"PATCH", u"/v1/tenants/{tenant}"_s, Role::Admin, Scope::Tenant,
         u"Change a tenant's quotas and SLA targets"_s},
        {"DELETE", u"/v1/tenants/{tenant}"_s, Role::Admin, Scope::GlobalOnly,
         u"Delete a tenant with all its data"_s},
        {"GET", u"/v1/sla"_s, Role::Viewer, Scope::Filtered,
         u"SLA attainment per tenant over a window"_s},
        {"GET", u"/v1/deliveries"_s, Role::Viewer, Scope::Filtered,
         u"Search deliveries, newest first, with keyset pagination"_s},
        {"GET", u"/v1/reports/deliveries"_s, Role::Admin, Scope::Filtered,
         u"A tenant's deliveries by channel and state for a period, as JSON or CSV"_s},
        {"GET", u"/v1/live"_s, Role::Viewer, Scope::Filtered,
         u"WebSocket: a snapshot of the agent every second"_s},
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
        // After handleRequest() accepted a WebSocket handshake, QAbstractHttpServer hands the
        // (already decrypted) socket to its own QWebSocketServer and announces it here.
        connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
            while (hasPendingWebSocketConnections())
                acceptWebSocket(nextPendingWebSocketConnection());
        });
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        if (isWebSocketUpgrade(request)) {
            // Written nothing and true: Qt hands the socket over for the WebSocket handshake.
            const QString key = peerKey(socket->peerAddress(), socket->peerPort());
            m_upgrades.insert(key, checkUpgrade(request));
            connect(socket, &QObject::destroyed, this, [this, key] { m_upgrades.remove(key); });
            return true;
        }
        Response response = handle(request);
        auto responder = makeResponder(request, socket);
        responder.write(
            response.body,
            {{"Content-Type", !response.contentType.isEmpty() ? response.contentType
                              : response.status >= 400 ? QByteArray("application/problem+json")
                                                       : QByteArray("application/json")},
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
        QByteArray contentType = {}; // empty: JSON or problem+json by the status
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
        if (!principal) {
            if (principal.error().connectionLost)
                m_db.close();
            return fail(503, u"store-unavailable"_s, u"Database unavailable"_s,
                        principal.error().message);
        }
        const auto &who = *principal;
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

        if (key == "GET /v1/whoami"_L1)
            return json(
                QJsonObject{{u"token_id"_s, who.tokenId},
                            {u"role"_s, store::roleName(who.role)},
                            {u"tenant"_s, who.tenantId ? QJsonValue(who.tenant) : QJsonValue()},
                            {u"agent_version"_s, QStringLiteral(FERRY_VERSION)}});
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
                // What each attempt sent besides the event: the webhook contract's headers
                // (the timestamp is the attempt's; the signature is never shown).
                QJsonArray headers;
                for (const auto &[name, value] : adapters::WebhookTransfer::requestHeaders(
                         d->summary.id.toByteArray(QUuid::WithoutBraces),
                         "(the attempt's start, Unix seconds)",
                         "v1,(HMAC-SHA256 with the endpoint's secret; not shown)"))
                    headers.append(QJsonObject{{u"name"_s, QString::fromLatin1(name)},
                                               {u"value"_s, QString::fromUtf8(value)}});
                o.insert(u"request_headers"_s, headers);
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
        if (key == "PATCH /v1/tenants/{tenant}"_L1 || key == "DELETE /v1/tenants/{tenant}"_L1)
            return changeTenant(match.captured(u"tenant"_s), request, who, body);
        if (key == "GET /v1/sla"_L1 || key == "GET /v1/deliveries"_L1 ||
            key == "GET /v1/reports/deliveries"_L1)
            return readReport(key, request, who);
        if (key == "GET /v1/live"_L1)
            return fail(426, u"upgrade-required"_s, u"WebSocket required"_s,
                        u"connect with a WebSocket client to wss://<host>:<port>/v1/live, sending "
                        "the same Authorization header"_s);
        return notFound();
    }

    // --- read side: tenants (PATCH, DELETE), SLA, delivery search, reports, live feed ---

    // A whole number in [min, max] from a JSON value, or a 400 naming the field.
    std::optional<Response> wholeNumber(const QJsonValue &v, const QString &field, qint64 min,
                                        qint64 max, qint64 &out)
    {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != std::floor(d) || d < double(min) || d > double(max))
            return fail(400, u"invalid-field"_s, u"Invalid field"_s,
                        u"%1 must be a whole number from %2 to %3"_s.arg(field).arg(min).arg(max));
        out = qint64(d);
        return std::nullopt;
    }

    std::optional<Response> unknownKeys(const QJsonObject &o, const QStringList &known,
                                        const QString &where)
    {
        for (const QString &k : o.keys()) {
            if (!known.contains(k))
                return fail(
                    400, u"unknown-field"_s, u"Unknown field"_s,
                    u"%1 has no field '%2'; it accepts %3"_s.arg(where, k, known.join(u", "_s)));
        }
        return std::nullopt;
    }

    std::optional<Response> tenantUpdate(const QJsonObject &body,
                                         store::ApiStore::TenantUpdate &update)
    {
        if (auto bad = unknownKeys(body, {u"quotas"_s, u"sla"_s}, u"the body"_s))
            return bad;
        const QJsonObject quotas = body.value("quotas"_L1).toObject();
        const QJsonObject sla = body.value("sla"_L1).toObject();
        if ((body.contains("quotas"_L1) && !body.value("quotas"_L1).isObject()) ||
            (body.contains("sla"_L1) && !body.value("sla"_L1).isObject()) ||
            (quotas.isEmpty() && sla.isEmpty()))
            return fail(400, u"nothing-to-change"_s, u"Nothing to change"_s,
                        u"send {\"quotas\":{\"events_per_second\":N,\"events_per_day\":N,"
                        "\"max_payload_bytes\":N},\"sla\":{\"target\":0.99,\"latency_ms\":60000}} "
                        "or any part of it (quota 0 = no limit)"_s);
        // The names of the request body, and those the tenant is shown with.
        const QList<std::tuple<QStringList, std::optional<qint64> *, qint64>> fields = {
            {{u"events_per_second"_s, u"max_events_per_second"_s},
             &update.eventsPerSecond,
             2147483647},
            {{u"events_per_day"_s, u"max_events_per_day"_s}, &update.eventsPerDay, qint64(1) << 50},
            {{u"max_payload_bytes"_s}, &update.maxPayloadBytes, 2147483647}};
        QStringList known;
        for (const auto &[names, target, max] : fields) {
            known += names;
            for (const QString &name : names) {
                if (!quotas.contains(name))
                    continue;
                qint64 v = 0;
                if (!quotas.value(name).isNull()) {
                    if (auto bad = wholeNumber(quotas.value(name), u"quotas."_s + name, 0, max, v))
                        return bad;
                }
                *target = v; // null or 0: no limit
            }
        }
        if (auto bad = unknownKeys(quotas, known, u"quotas"_s))
            return bad;
        if (auto bad = unknownKeys(sla, {u"target"_s, u"latency_ms"_s}, u"sla"_s))
            return bad;
        if (sla.contains("target"_L1)) {
            const double t = sla.value("target"_L1).toDouble(-1);
            if (!sla.value("target"_L1).isDouble() || t <= 0 || t > 1)
                return fail(400, u"invalid-field"_s, u"Invalid field"_s,
                            u"sla.target is the share of deliveries that must meet the latency: "
                            "a number above 0 and at most 1, such as 0.99"_s);
            update.slaTarget = t;
        }
        if (sla.contains("latency_ms"_L1)) {
            qint64 v = 0;
            if (auto bad = wholeNumber(sla.value("latency_ms"_L1), u"sla.latency_ms"_s, 1,
                                       qint64(366) * 86400000, v))
                return bad;
            update.slaLatencyMs = v;
        }
        return std::nullopt;
    }

    Response changeTenant(const QString &name, const QHttpServerRequest &request,
                          const store::ApiPrincipal &who, const QJsonObject &body)
    {
        store::ApiStore api(m_db);
        if (request.method() == QHttpServerRequest::Method::Patch) {
            auto owner = api.tenant(name);
            if (!owner)
                return storeError(owner.error());
            if (!visible(who, owner->first))
                return notFound();
            store::ApiStore::TenantUpdate update;
            if (auto bad = tenantUpdate(body, update))
                return *bad;
            auto r = api.updateTenant(name, update, actor(who));
            if (!r)
                return storeError(r.error());
            return *r ? json(**r) : notFound();
        }
        const QString force = QUrlQuery(request.url()).queryItemValue(u"force"_s);
        if (!force.isEmpty() && force != "true"_L1 && force != "false"_L1)
            return fail(400, u"invalid-parameter"_s, u"Invalid parameter"_s,
                        u"force is true or false"_s);
        auto r = api.deleteTenant(name, force == "true"_L1, actor(who));
        if (!r)
            return storeError(r.error());
        if (!r->found)
            return notFound();
        if (!r->deleted)
            return fail(409, u"tenant-busy"_s, u"Tenant has unfinished deliveries"_s,
                        u"tenant '%1' has %2 unfinished deliveries; wait until they finish, or "
                        "add ?force=true to delete them with the tenant"_s.arg(name)
                            .arg(r->unfinished));
        return {204, {}, {}};
    }

    static Response badParameter(const QString &detail)
    {
        return fail(400, u"invalid-parameter"_s, u"Invalid parameter"_s, detail);
    }

    // "24h", "7d", "90m", "3600s" → seconds; 0 when not such a duration.
    static qint64 windowSeconds(const QString &text)
    {
        static const QRegularExpression re(u"^([0-9]{1,9})([smhd])$"_s);
        const auto m = re.match(text);
        if (!m.hasMatch())
            return 0;
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        return n * (unit == u's' ? 1 : unit == u'm' ? 60 : unit == u'h' ? 3600 : 86400);
    }

    static QDateTime timeParameter(const QString &text)
    {
        QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!t.isValid())
            t = QDateTime::fromString(text, Qt::ISODate);
        if (t.isValid() && t.timeSpec() == Qt::LocalTime)
            t.setTimeZone(QTimeZone::utc()); // no offset given: UTC
        return t;
    }

    static QString cursorText(const std::pair<qint64, QUuid> &at)
    {
        return QString::fromLatin1(
            (QByteArray("d1:") + QByteArray::number(at.first) + ':' +
             at.second.toByteArray(QUuid::WithoutBraces))
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }

    static std::optional<std::pair<qint64, QUuid>> cursorFrom(const QString &text)
    {
        const auto decoded = QByteArray::fromBase64Encoding(
            text.toLatin1(),
            QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        const QList<QByteArray> parts = decoded.decoded.split(':');
        if (!decoded || parts.size() != 3 || parts[0] != "d1")
            return std::nullopt;
        bool ok = false;
        const qint64 micros = parts[1].toLongLong(&ok);
        const QUuid id = QUuid::fromString(QLatin1StringView(parts[2]));
        if (!ok || id.isNull())
            return std::nullopt;
        return std::pair(micros, id);
    }

    static std::optional<Response> limitParameter(const QHash<QString, QString> &p, int &limit)
    {
        if (!p.contains(u"limit"_s))
            return std::nullopt;
        bool ok = false;
        limit = p.value(u"limit"_s).toInt(&ok);
        if (!ok || limit < 1 || limit > 1000)
            return badParameter(u"limit is a number from 1 to 1000 (default 100)"_s);
        return std::nullopt;
    }

    static QByteArray csvField(const QString &s)
    {
        if (!s.contains(u',') && !s.contains(u'"') && !s.contains(u'\n') && !s.contains(u'\r'))
            return s.toUtf8();
        return '"' + QString(s).replace(u"\""_s, u"\"\""_s).toUtf8() + '"';
    }

    Response readReport(const QString &key, const QHttpServerRequest &request,
                        const store::ApiPrincipal &who)
    {
        const QUrlQuery q(request.url());
        QHash<QString, QString> p;
        for (const auto &item : q.queryItems(QUrl::FullyDecoded))
            p.insert(item.first, item.second);
        const QStringList known =
            key == "GET /v1/sla"_L1 ? QStringList{u"window"_s, u"limit"_s, u"cursor"_s}
            : key == "GET /v1/deliveries"_L1
                ? QStringList{u"tenant"_s, u"state"_s, u"channel"_s,  u"endpoint"_s,
                              u"since"_s,  u"until"_s, u"event_id"_s, u"partition_key"_s,
                              u"limit"_s,  u"cursor"_s}
                : QStringList{u"tenant"_s, u"from"_s, u"to"_s, u"format"_s};
        for (auto it = p.constBegin(); it != p.constEnd(); ++it) {
            if (!known.contains(it.key()))
                return badParameter(u"unknown parameter '%1'; this route accepts %2"_s.arg(
                    it.key(), known.join(u", "_s)));
        }
        store::ReportStore reports(m_db);

        if (key == "GET /v1/sla"_L1) {
            const QString window = p.value(u"window"_s, u"24h"_s);
            const qint64 seconds = windowSeconds(window);
            if (seconds <= 0 || seconds > qint64(366) * 86400)
                return badParameter(u"window '%1' is not a duration: use 1h, 24h, 7d or a number "
                                    "of seconds such as 3600s (at most 366 days)"_s.arg(window));
            int limit = 100;
            if (auto bad = limitParameter(p, limit))
                return *bad;
            QString after; // the last tenant of the previous page
            if (p.contains(u"cursor"_s)) {
                const auto decoded = QByteArray::fromBase64Encoding(
                    p.value(u"cursor"_s).toLatin1(),
                    QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
                if (!decoded || !decoded.decoded.startsWith("t1:") || decoded.decoded.size() < 4)
                    return badParameter(u"the cursor is not one this API gave out; pass the "
                                        "next_cursor of the previous page unchanged"_s);
                after = QString::fromUtf8(decoded.decoded.mid(3));
            }
            const QDateTime to = QDateTime::currentDateTimeUtc();
            auto r = reports.sla(who.tenantId, to.addSecs(-seconds), to, after, limit + 1);
            if (!r)
                return storeError(r.error());
            QJsonValue next;
            if (r->size() > limit) {
                r->removeLast();
                next = QString::fromLatin1(
                    ("t1:" + r->last().toObject().value("tenant"_L1).toString().toUtf8())
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            }
            return json(QJsonObject{{u"items"_s, *r}, {u"next_cursor"_s, next}});
        }

        if (key == "GET /v1/deliveries"_L1) {
            store::ReportStore::Search s;
            s.scopeTenantId = who.tenantId;
            s.tenant = p.value(u"tenant"_s);
            s.state = p.value(u"state"_s);
            static const QStringList states{u"queued"_s,     u"pending"_s,   u"in_flight"_s,
                                            u"retry_wait"_s, u"succeeded"_s, u"dead"_s,
                                            u"discarded"_s};
            if (!s.state.isEmpty() && !states.contains(s.state))
                return badParameter(u"state '%1' is not a delivery state; use one of %2"_s.arg(
                    s.state, states.join(u", "_s)));
            s.channel = p.value(u"channel"_s);
            s.partitionKey = p.value(u"partition_key"_s);
            bool ok = true;
            if (p.contains(u"endpoint"_s)) {
                s.endpointId = p.value(u"endpoint"_s).toLongLong(&ok);
                if (!ok || s.endpointId <= 0)
                    return badParameter(u"endpoint is an endpoint's numeric id"_s);
            }
            for (const auto &[name, target] :
                 {std::pair(u"since"_s, &s.since), std::pair(u"until"_s, &s.until)}) {
                if (!p.contains(name))
                    continue;
                *target = timeParameter(p.value(name));
                if (!target->isValid())
                    return badParameter(u"%1 '%2' is not an ISO 8601 time such as "
                                        "2026-11-27T10:00:00Z"_s.arg(name, p.value(name)));
            }
            if (p.contains(u"event_id"_s)) {
                s.eventId = QUuid::fromString(p.value(u"event_id"_s));
                if (s.eventId.isNull())
                    return badParameter(u"event_id is an event's UUID, as ingest answered it"_s);
            }
            if (auto bad = limitParameter(p, s.limit))
                return *bad;
            if (p.contains(u"cursor"_s)) {
                s.after = cursorFrom(p.value(u"cursor"_s));
                if (!s.after)
                    return badParameter(u"the cursor is not one this API gave out; pass the "
                                        "next_cursor of the previous page unchanged"_s);
            }
            auto r = reports.searchDeliveries(s);
            if (!r)
                return storeError(r.error());
            return json(QJsonObject{
                {u"items"_s, r->items},
                {u"next_cursor"_s, r->next ? QJsonValue(cursorText(*r->next)) : QJsonValue()}});
        }

        // GET /v1/reports/deliveries
        QString tenant = p.value(u"tenant"_s);
        if (tenant.isEmpty() && who.tenantId == 0)
            return badParameter(u"name the tenant: ?tenant=NAME (only a tenant-scoped token may "
                                "leave it out)"_s);
        if (tenant.isEmpty())
            tenant = who.tenant;
        store::ApiStore api(m_db);
        auto owner = api.tenant(tenant);
        if (!owner)
            return storeError(owner.error());
        if (!visible(who, owner->first))
            return fail(404, u"not-found"_s, u"Not found"_s, u"no tenant '%1'"_s.arg(tenant));
        QDateTime to = QDateTime::currentDateTimeUtc(), from = to.addDays(-1);
        for (const auto &[name, target] : {std::pair(u"from"_s, &from), std::pair(u"to"_s, &to)}) {
            if (!p.contains(name))
                continue;
            *target = timeParameter(p.value(name));
            if (!target->isValid())
                return badParameter(u"%1 '%2' is not an ISO 8601 time such as "
                                    "2026-11-01T00:00:00Z"_s.arg(name, p.value(name)));
        }
        if (from >= to)
            return badParameter(u"from must be before to"_s);
        QByteArray accept;
        for (const auto &h : request.headers()) {
            if (h.first.compare("accept", Qt::CaseInsensitive) == 0)
                accept = h.second;
        }
        const QString format = p.value(u"format"_s);
        if (!format.isEmpty() && format != "csv"_L1 && format != "json"_L1)
            return badParameter(u"format is csv or json"_s);
        const bool csv = format == "csv"_L1 || (format.isEmpty() && accept.contains("text/csv"));
        auto rows = reports.deliveryReport(owner->first, from, to);
        if (!rows)
            return storeError(rows.error());
        auto sla = reports.sla(owner->first, from, to);
        if (!sla)
            return storeError(sla.error());
        const QJsonObject slaItem = sla->isEmpty() ? QJsonObject() : sla->first().toObject();
        const QString fromText = from.toString(Qt::ISODateWithMs),
                      toText = to.toString(Qt::ISODateWithMs);
        qint64 total = 0;
        // The total cost is known only when every row's cost is (and there is a row).
        double costSum = 0;
        bool costKnown = !rows->isEmpty();
        for (const auto &r : *rows) {
            total += r.deliveries;
            if (r.cost)
                costSum += *r.cost;
            else
                costKnown = false;
        }
        const auto costText = [](const std::optional<double> &c) {
            return c ? QByteArray::number(*c, 'f', 4) : QByteArray();
        };
        const QByteArray totalCostText =
            costKnown ? QByteArray::number(costSum, 'f', 4) : QByteArray();
        const QJsonValue totalCost = costKnown ? QJsonValue(costSum) : QJsonValue();
        if (csv) {
            QByteArray out = "tenant,from,to,channel,state,deliveries,cost\r\n";
            const QByteArray prefix =
                csvField(tenant) + ',' + csvField(fromText) + ',' + csvField(toText) + ',';
            for (const auto &r : *rows)
                out += prefix + csvField(r.channel) + ',' + csvField(r.state) + ',' +
                       QByteArray::number(r.deliveries) + ',' + costText(r.cost) + "\r\n";
            out += prefix + "all,all," + QByteArray::number(total) + ',' + totalCostText + "\r\n";
            return {200, out, "text/csv; charset=utf-8"};
        }
        QJsonArray items;
        for (const auto &r : *rows)
            items.append(QJsonObject{{u"channel"_s, r.channel},
                                     {u"state"_s, r.state},
                                     {u"deliveries"_s, r.deliveries},
                                     {u"cost"_s, r.cost ? QJsonValue(*r.cost) : QJsonValue()}});
        return json(QJsonObject{
            {u"tenant"_s, tenant},
            {u"from"_s, fromText},
            {u"to"_s, toText},
            {u"rows"_s, items},
            {u"total"_s, total},
            {u"cost"_s, totalCost},
            {u"sla"_s, QJsonObject{{u"target"_s, slaItem.value("target"_L1)},
                                   {u"latency_ms"_s, slaItem.value("latency_ms"_L1)},
                                   {u"attainment"_s, slaItem.value("attainment"_L1)}}}});
    }

    // The live feed's WebSocket handshake. Qt 6.4 calls handleRequest() for an upgrade request
    // and hands the socket to its own QWebSocketServer when it returns true having written
    // nothing (docs/decisions/0011-live-feed-websocket.md). So the handshake is checked here,
    // and the verdict waits, by peer address and port, for the WebSocket that follows.
    struct Upgrade
    {
        QByteArray token;
        qint64 tenantId = 0;
        QString refusal; // empty: accepted
    };
    static bool isWebSocketUpgrade(const QHttpServerRequest &request)
    {
        for (const auto &h : request.headers()) {
            if (h.first.compare("upgrade", Qt::CaseInsensitive) == 0 &&
                h.second.trimmed().compare("websocket", Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    static QString peerKey(const QHostAddress &address, quint16 port)
    {
        return address.toString() + u'|' + QString::number(port);
    }

    Upgrade checkUpgrade(const QHttpServerRequest &request)
    {
        const QString path = request.url().path();
        if (path != "/v1/live"_L1)
            return {{}, 0, u"no WebSocket at %1; the live feed is /v1/live"_s.arg(path.left(60))};
        QByteArray auth;
        for (const auto &h : request.headers()) {
            if (h.first.compare("authorization", Qt::CaseInsensitive) == 0)
                auth = h.second.trimmed();
        }
        if (!auth.startsWith("Bearer "))
            return {{}, 0, u"send 'Authorization: Bearer <token>' in the handshake"_s};
        const QByteArray token = auth.mid(7).trimmed();
        const QByteArray tokenHash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
        const QHostAddress from = request.remoteAddress();
        if (throttled(from) && !m_recentlyValid.contains(tokenHash))
            return {{}, 0, u"this address sent too many bad tokens; wait a minute"_s};
        const QString noDatabase = u"the agent cannot reach its database; retry shortly"_s;
        if (!ensureDb())
            return {{}, 0, noDatabase};
        auto principal = store::ApiTokenStore(m_db).authenticate(token);
        const auto *who = principal ? &*principal : nullptr;
        if (!who) {
            m_db.close();
            return {{}, 0, noDatabase};
        }
        if (!*who) {
            recordFailure(from);
            m_recentlyValid.remove(tokenHash);
            return {{}, 0, u"the token is unknown, expired or revoked"_s};
        }
        m_recentlyValid.insert(tokenHash);
        return {token, (*who)->tenantId, {}};
    }

    // A WebSocket handed over by QAbstractHttpServer after its handshake: an accepted one joins
    // the live feed; a refused one is closed with 1008 and gets no data.
    void acceptWebSocket(std::unique_ptr<QWebSocket> socket)
    {
        if (!socket)
            return;
        const auto verdict = m_upgrades.take(peerKey(socket->peerAddress(), socket->peerPort()));
        if (verdict && verdict->refusal.isEmpty())
            return m_live.add(std::move(socket), verdict->token, verdict->tenantId);
        QWebSocket *raw = socket.release();
        QObject::connect(raw, &QWebSocket::disconnected, raw, &QObject::deleteLater);
        QTimer::singleShot(5000, raw, [raw] { raw->abort(); }); // a peer that never answers
        raw->close(QWebSocketProtocol::CloseCodePolicyViolated,
                   verdict ? verdict->refusal : u"the handshake was not checked; reconnect"_s);
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
    QHash<QString, std::optional<Upgrade>> m_upgrades; // handshakes checked, by peer
    LiveFeed m_live{[this] { return ensureDb() ? &m_db : nullptr; }};
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
