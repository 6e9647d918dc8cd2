#include "agent/api/writeroutes.h"

#include "agent/store/adminstore.h"
#include "agent/store/credentialstore.h"
#include "agent/store/producerkeystore.h"
#include "agent/store/routestore.h"
#include "shared/problem.h"
#include "shared/retrypolicy.h"
#include "shared/webhooksignature.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

namespace {

constexpr qsizetype kMaxSecretBytes = 64 * 1024;
constexpr qsizetype kMaxTemplateChars = 64 * 1024;

// The channels this agent delivers through; a route naming another is refused.
const QStringList &knownChannels()
{
    static const QStringList list{u"webhook"_s, u"null"_s}; // null: delivers nothing
    return list;
}

ApiReply json(const QJsonObject &o, int status = 200)
{
    return {status, QJsonDocument(o).toJson(QJsonDocument::Compact)};
}

ApiReply fail(int status, const QString &slug, const QString &title, const QString &detail)
{
    return {status, Problem::make(status, slug, title, detail).toJson()};
}

ApiReply notFound(const QString &detail = u"no such resource"_s)
{
    return fail(404, u"not-found"_s, u"Not found"_s, detail);
}

// 422 naming the offending field (RFC 9457 extension member `field`).
ApiReply invalid(const QString &field, const QString &detail)
{
    Problem p = Problem::make(422, u"invalid-field"_s, u"Invalid request"_s,
                              u"%1: %2"_s.arg(field, detail));
    p.extra.insert(u"field"_s, field);
    return {422, p.toJson()};
}

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(iso(t)) : QJsonValue();
}

// Paging: `limit` 1–1000 (default 100) and an opaque `cursor` (base64url of a position).
struct Page
{
    int limit = 100;
    QString position; // decoded cursor, empty at the start
};

std::variant<Page, ApiReply> pageOf(const QHttpServerRequest &request, const QString &prefix)
{
    const QUrlQuery q(request.url());
    Page page;
    if (q.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        page.limit = q.queryItemValue(u"limit"_s).toInt(&ok);
        if (!ok || page.limit < 1 || page.limit > 1000)
            return invalid(u"limit"_s, u"give a whole number from 1 to 1000"_s);
    }
    const QString cursor = q.queryItemValue(u"cursor"_s);
    if (!cursor.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(
            cursor.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals |
                                   QByteArray::AbortOnBase64DecodingErrors);
        const QString text = QString::fromUtf8(decoded.decoded);
        if (!decoded || !text.startsWith(prefix))
            return invalid(u"cursor"_s,
                           u"not a cursor of this list: pass next_cursor as it was answered"_s);
        page.position = text.mid(prefix.size());
    }
    return page;
}

QJsonValue cursorFor(const QString &prefix, const QString &position)
{
    return QString::fromLatin1(
        (prefix + position)
            .toUtf8()
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QJsonObject credentialJson(const store::CredentialInfo &c)
{
    return {{u"name"_s, c.name},
            {u"provider"_s, c.provider},
            {u"created_at"_s, iso(c.createdAt)},
            {u"updated_at"_s, iso(c.updatedAt)},
            {u"fingerprint"_s, c.fingerprint}};
}

std::optional<qint64> wholeNumber(const QJsonValue &v, qint64 min, qint64 max)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d != std::floor(d) || d < double(min) || d > double(max))
        return std::nullopt;
    return qint64(d);
}

// Applies the fields of a route body to `route`; the first invalid field is the answer.
std::optional<ApiReply> applyRouteFields(const QJsonObject &body, store::Route &route,
                                         bool creating)
{
    static const QSet<QString> known{
        u"tenant"_s,       u"channel"_s, u"target"_s,    u"event_types"_s, u"retry"_s,
        u"max_attempts"_s, u"max_age"_s, u"ordered"_s,   u"on_block"_s,    u"concurrency"_s,
        u"template"_s,     u"enabled"_s, u"credential"_s};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(it.key(), u"unknown field; a route has %1"_s.arg(
                                         QStringList(known.begin(), known.end()).join(u", "_s)));
    }
    if (body.contains("channel"_L1)) {
        const QString channel = body.value("channel"_L1).toString();
        if (!knownChannels().contains(channel))
            return invalid(u"channel"_s,
                           u"unknown channel '%1': this agent delivers through %2"_s.arg(
                               channel, knownChannels().join(u", "_s)));
        route.channel = channel;
    }
    if (body.contains("target"_L1) || creating) {
        const QString target = body.value("target"_L1).toString();
        const QUrl url(target, QUrl::StrictMode);
        if (target.isEmpty() || !url.isValid() ||
            (url.scheme() != "http"_L1 && url.scheme() != "https"_L1) || url.host().isEmpty())
            return invalid(u"target"_s, u"a webhook route's target is an absolute http:// or "
                                        "https:// URL such as https://partner.example/hooks"_s);
        route.target = target;
    }
    if (body.contains("event_types"_L1)) {
        const QJsonValue v = body.value("event_types"_L1);
        if (!v.isNull() && !v.isArray())
            return invalid(u"event_types"_s,
                           u"a list of event types such as [\"order.created\"]; [] or null "
                           "for every type"_s);
        QStringList types;
        for (const QJsonValue &t : v.toArray()) {
            const QString type = t.toString();
            if (!t.isString() || type.trimmed().isEmpty() || type.size() > 200)
                return invalid(u"event_types"_s,
                               u"each event type is a non-empty string of at most 200 "
                               "characters"_s);
            if (!types.contains(type))
                types.append(type);
        }
        if (types.size() > 100)
            return invalid(u"event_types"_s, u"at most 100 event types per route"_s);
        route.eventTypes = types;
    }
    if (body.contains("retry"_L1)) {
        const QJsonValue v = body.value("retry"_L1);
        const QJsonObject o = v.toObject();
        if (v.isNull()) {
            route.retrySchedule.clear();
        } else if (o.size() == 1 && o.value("exponential"_L1) == QJsonValue(true)) {
            route.retrySchedule = u"exponential"_s;
        } else if (o.size() == 1 && o.value("schedule"_L1).isString()) {
            const QString schedule = o.value("schedule"_L1).toString().trimmed();
            auto parsed = RetryPolicy::parse(schedule, {});
            if (!parsed || schedule.isEmpty() || schedule == "exponential"_L1)
                return invalid(u"retry.schedule"_s,
                               parsed ? u"give the waits before each attempt, such as "
                                        "0s,5s,5m,30m,2h"_s
                                      : parsed.error().message);
            route.retrySchedule = schedule;
        } else {
            return invalid(u"retry"_s, u"{\"schedule\": \"0s,5s,5m,30m,2h\"}, "
                                       "{\"exponential\": true}, or null for the agent's "
                                       "default (retry.schedule)"_s);
        }
    }
    if (body.contains("max_attempts"_L1)) {
        const QJsonValue v = body.value("max_attempts"_L1);
        const auto n = wholeNumber(v, 1, 1000);
        if (!v.isNull() && !n)
            return invalid(u"max_attempts"_s,
                           u"a whole number from 1 to 1000, or null for the policy's"_s);
        route.maxAttempts = int(n.value_or(0));
    }
    if (body.contains("max_age"_L1)) {
        const QJsonValue v = body.value("max_age"_L1);
        std::optional<qint64> seconds = wholeNumber(v, 1, 365LL * 86400);
        if (v.isString()) {
            const auto ms = parseDurationMs(v.toString());
            if (ms && *ms >= 1000 && *ms <= 365LL * 86'400'000)
                seconds = *ms / 1000;
        }
        if (!v.isNull() && !seconds)
            return invalid(u"max_age"_s, u"seconds (a whole number), or a duration such as "
                                         "\"6h\" or \"3d\" (at most a year), or null"_s);
        route.maxAgeSeconds = seconds.value_or(0);
    }
    if (body.contains("ordered"_L1)) {
        if (!body.value("ordered"_L1).isBool())
            return invalid(u"ordered"_s, u"true (per partition key, in order) or false"_s);
        route.ordered = body.value("ordered"_L1).toBool();
    }
    if (body.contains("on_block"_L1)) {
        const QString v = body.value("on_block"_L1).toString();
        if (v != "block"_L1 && v != "skip"_L1)
            return invalid(u"on_block"_s, u"'block' (an ordered partition waits for an operator "
                                          "when a delivery dies) or 'skip' (it carries on)"_s);
        route.onBlock = v;
    }
    if (body.contains("concurrency"_L1)) {
        const QJsonValue v = body.value("concurrency"_L1);
        const auto n = wholeNumber(v, 1, 10000);
        if (!v.isNull() && !n)
            return invalid(u"concurrency"_s,
                           u"requests in flight at once: a whole number from 1 to 10000, or "
                           "null for the agent's default"_s);
        route.concurrency = int(n.value_or(0));
    }
    if (body.contains("template"_L1)) {
        const QJsonValue v = body.value("template"_L1);
        if (!v.isNull() && (!v.isString() || v.toString().size() > kMaxTemplateChars))
            return invalid(u"template"_s, u"text of at most 65536 characters, or null"_s);
        route.templateText = v.isNull() ? QString() : v.toString();
    }
    if (body.contains("enabled"_L1)) {
        if (!body.value("enabled"_L1).isBool())
            return invalid(u"enabled"_s, u"true or false"_s);
        route.enabled = body.value("enabled"_L1).toBool();
    }
    if (body.contains("credential"_L1)) {
        const QJsonValue v = body.value("credential"_L1);
        if (!v.isNull() && !store::CredentialStore::validName(v.toString()))
            return invalid(u"credential"_s, u"the name of one of the tenant's credentials, or "
                                            "null to sign with the route's own secret"_s);
        route.credential = v.toString();
    }
    return std::nullopt;
}

} // namespace

WriteRoutes::WriteRoutes(store::PgConnection &db, const std::optional<MasterKey> &masterKey,
                         QString actor)
    : m_db(db)
    , m_masterKey(masterKey)
    , m_actor(std::move(actor))
{}

ApiReply WriteRoutes::storeError(const Error &e)
{
    if (e.code >= 400 && e.code < 500) {
        if (e.code == 404)
            return notFound(e.message);
        if (e.code == 409)
            return fail(409, u"conflict"_s, u"Conflict"_s, e.message);
        return fail(e.code, u"invalid"_s, u"Invalid request"_s, e.message);
    }
    if (m_db.isBroken())
        m_db.close();
    return fail(503, u"store-unavailable"_s, u"Database error"_s, e.message);
}

std::optional<ApiReply> WriteRoutes::handle(const QString &key,
                                            const QRegularExpressionMatch &match,
                                            const QHttpServerRequest &request,
                                            const store::ApiPrincipal &who, const QJsonObject &body)
{
    const bool producerRoute = key.startsWith("GET /v1/tenants/{tenant}/producers"_L1) ||
                               key.startsWith("POST /v1/tenants/{tenant}/producers"_L1) ||
                               key.startsWith("DELETE /v1/tenants/{tenant}/producers"_L1);
    const bool credentialRoute = key.contains("/v1/tenants/{tenant}/credentials"_L1);
    const bool routeRoute = key.endsWith(" /v1/routes"_L1) || key.endsWith(" /v1/routes/{num}"_L1);
    if (!producerRoute && !credentialRoute && !routeRoute)
        return std::nullopt;
    const qint64 num = match.captured(u"num"_s).toLongLong();
    if (routeRoute)
        return routes(key, num, request, who, body);

    // A tenant's resource: another tenant's does not exist for a scoped token.
    const QString tenant = match.captured(u"tenant"_s);
    auto tenantId = store::AdminStore(m_db, m_actor).findTenant(tenant);
    if (!tenantId)
        return storeError(tenantId.error());
    if (*tenantId == 0 || (who.tenantId != 0 && who.tenantId != *tenantId))
        return notFound(u"no tenant named '%1'"_s.arg(tenant));
    if (producerRoute)
        return producers(key, tenant, num, request, body);
    return credentials(key, *tenantId, tenant, match.captured(u"name"_s), request, body);
}

ApiReply WriteRoutes::producers(const QString &key, const QString &tenant, qint64 id,
                                const QHttpServerRequest &request, const QJsonObject &body)
{
    store::AdminStore admin(m_db, m_actor);
    store::ProducerKeyStore keys(m_db);
    if (key.startsWith("GET"_L1)) {
        auto page = pageOf(request, u"p:"_s);
        if (auto *r = std::get_if<ApiReply>(&page))
            return *r;
        const Page &p = std::get<Page>(page);
        const QString afterKind = p.position.section(u':', 0, 0);
        const qint64 afterId = p.position.section(u':', 1).toLongLong();
        auto list = admin.producerCredentials(tenant, afterKind, afterId, p.limit + 1);
        if (!list)
            return storeError(list.error());
        QJsonArray items;
        QJsonValue next;
        for (qsizetype i = 0; i < list->size(); ++i) {
            const auto &c = list->at(i);
            if (i == p.limit) {
                const auto &last = list->at(i - 1);
                next = cursorFor(u"p:"_s, last.kind + u':' + QString::number(last.id));
                break;
            }
            QJsonObject o{{u"kind"_s, c.kind},
                          {u"id"_s, c.id},
                          {u"created_at"_s, iso(c.createdAt)},
                          {u"revoked_at"_s, isoOrNull(c.revokedAt)}};
            if (c.kind == "curve"_L1)
                o.insert(u"public_key"_s, QString::fromLatin1(c.publicKey));
            items.append(o);
        }
        return json({{u"items"_s, items}, {u"next_cursor"_s, next}});
    }
    if (key.startsWith("POST"_L1)) {
        const QString kind = body.value("kind"_L1).toString();
        if (kind == "token"_L1) {
            auto token = admin.addProducerToken(tenant);
            if (!token)
                return storeError(token.error());
            return json({{u"kind"_s, kind},
                         {u"id"_s, token->first},
                         {u"token"_s, QString::fromLatin1(token->second)}},
                        201);
        }
        if (kind == "curve"_L1) {
            auto server = keys.serverKeys();
            if (!server)
                return storeError(server.error());
            qint64 newId = 0;
            auto pair = keys.addProducer(tenant, m_actor, &newId);
            if (!pair)
                return storeError(pair.error());
            return json({{u"kind"_s, kind},
                         {u"id"_s, newId},
                         {u"public_key"_s, QString::fromLatin1(pair->publicKey)},
                         {u"secret_key"_s, QString::fromLatin1(pair->secretKey)},
                         {u"server_key"_s, QString::fromLatin1(server->publicKey)}},
                        201);
        }
        return invalid(u"kind"_s, u"'token' (an HTTP bearer token) or 'curve' (a ZeroMQ CURVE "
                                  "key pair)"_s);
    }
    // DELETE …/producers/{num}?kind=token|curve
    const QString kind = QUrlQuery(request.url()).queryItemValue(u"kind"_s);
    Result<void> revoked;
    if (kind == "token"_L1)
        revoked = admin.revokeProducerToken(tenant, id);
    else if (kind == "curve"_L1)
        revoked = keys.revokeProducer(tenant, id, m_actor);
    else
        return invalid(u"kind"_s, u"add ?kind=token or ?kind=curve: token and key ids are "
                                  "separate"_s);
    if (!revoked)
        return storeError(revoked.error());
    return {204, {}};
}

ApiReply WriteRoutes::routes(const QString &key, qint64 id, const QHttpServerRequest &request,
                             const store::ApiPrincipal &who, const QJsonObject &body)
{
    store::RouteStore store(m_db, m_actor);
    if (key == "GET /v1/routes"_L1) {
        auto page = pageOf(request, u"r:"_s);
        if (auto *r = std::get_if<ApiReply>(&page))
            return *r;
        const Page &p = std::get<Page>(page);
        qint64 tenantId = who.tenantId;
        const QString tenant = QUrlQuery(request.url()).queryItemValue(u"tenant"_s);
        if (!tenant.isEmpty()) {
            auto found = store::AdminStore(m_db, m_actor).findTenant(tenant);
            if (!found)
                return storeError(found.error());
            if (*found == 0 || (who.tenantId != 0 && *found != who.tenantId))
                return json({{u"items"_s, QJsonArray()}, {u"next_cursor"_s, QJsonValue()}});
            tenantId = *found;
        }
        auto list = store.list(tenantId, p.position.toLongLong(), p.limit + 1);
        if (!list)
            return storeError(list.error());
        QJsonArray items;
        QJsonValue next;
        for (qsizetype i = 0; i < list->size() && i < p.limit; ++i)
            items.append(list->at(i).toJson());
        if (list->size() > p.limit)
            next = cursorFor(u"r:"_s, QString::number(list->at(p.limit - 1).id));
        return json({{u"items"_s, items}, {u"next_cursor"_s, next}});
    }
    if (key == "POST /v1/routes"_L1) {
        store::Route route;
        if (who.tenantId != 0 && !body.contains("tenant"_L1)) {
            route.tenant = who.tenant;
        } else {
            route.tenant = body.value("tenant"_L1).toString();
            if (route.tenant.isEmpty())
                return invalid(u"tenant"_s, u"the name of the tenant whose events it routes"_s);
        }
        auto found = store::AdminStore(m_db, m_actor).findTenant(route.tenant);
        if (!found)
            return storeError(found.error());
        if (who.tenantId != 0 && *found != who.tenantId)
            return notFound(u"no tenant named '%1'"_s.arg(route.tenant));
        if (*found == 0)
            return invalid(u"tenant"_s, u"no tenant named '%1'"_s.arg(route.tenant));
        route.tenantId = *found;
        if (auto error = applyRouteFields(body, route, true))
            return *error;
        QByteArray secret;
        auto created = store.create(route, &secret);
        if (!created)
            return created.error().code == 422 ? invalid(u"credential"_s, created.error().message)
                                               : storeError(created.error());
        QJsonObject o = created->toJson();
        if (!secret.isEmpty())
            o.insert(u"signing_secret"_s, QString::fromLatin1(secret));
        return json(o, 201);
    }
    // One route: another tenant's does not exist for a scoped token.
    auto current = store.get(id);
    if (!current)
        return storeError(current.error());
    if (who.tenantId != 0 && current->tenantId != who.tenantId)
        return notFound(u"no route %1 (see GET /v1/routes)"_s.arg(id));
    if (key.startsWith("GET"_L1))
        return json(current->toJson());
    if (key.startsWith("DELETE"_L1)) {
        auto r = store.disable(id);
        return r ? ApiReply{204, {}} : storeError(r.error());
    }
    // PATCH
    store::Route route = *current;
    if (body.contains("tenant"_L1) && body.value("tenant"_L1).toString() != route.tenant)
        return invalid(u"tenant"_s, u"a route stays with its tenant: create a new route for "
                                    "another tenant"_s);
    if (auto error = applyRouteFields(body, route, false))
        return *error;
    QByteArray secret;
    auto updated = store.update(route, &secret);
    if (!updated)
        return updated.error().code == 422 ? invalid(u"credential"_s, updated.error().message)
                                           : storeError(updated.error());
    QJsonObject o = updated->toJson();
    if (!secret.isEmpty())
        o.insert(u"signing_secret"_s, QString::fromLatin1(secret));
    return json(o);
}

ApiReply WriteRoutes::credentials(const QString &key, qint64 tenantId, const QString &tenant,
                                  const QString &name, const QHttpServerRequest &request,
                                  const QJsonObject &body)
{
    if (!m_masterKey)
        return fail(503, u"credentials-off"_s, u"Credentials are off"_s,
                    u"this agent has no master key to seal credentials with: set "
                    "credentials.master_key_file (a file from 'ferry-agent credentials "
                    "generate-key') or provide the systemd credential ferry-master-key, then "
                    "restart the agent"_s);
    store::CredentialStore store(m_db, m_actor);
    if (key.startsWith("GET"_L1)) {
        auto page = pageOf(request, u"c:"_s);
        if (auto *r = std::get_if<ApiReply>(&page))
            return *r;
        const Page &p = std::get<Page>(page);
        auto list = store.list(tenantId, p.position, p.limit + 1);
        if (!list)
            return storeError(list.error());
        QJsonArray items;
        QJsonValue next;
        for (qsizetype i = 0; i < list->size() && i < p.limit; ++i) {
            items.append(credentialJson(list->at(i)));
        }
        if (list->size() > p.limit)
            next = cursorFor(u"c:"_s, list->at(p.limit - 1).name);
        return json({{u"items"_s, items}, {u"next_cursor"_s, next}});
    }
    if (key.startsWith("DELETE"_L1)) {
        auto r = store.remove(tenantId, tenant, name);
        return r ? ApiReply{204, {}} : storeError(r.error());
    }
    // PUT. Messages never quote the secret.
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != "provider"_L1 && it.key() != "secret"_L1)
            return invalid(it.key(), u"unknown field; a credential has provider and secret"_s);
    }
    const QString provider = body.value("provider"_L1).toString();
    if (!store::CredentialStore::providers().contains(provider))
        return invalid(u"provider"_s,
                       u"one of %1"_s.arg(store::CredentialStore::providers().join(u", "_s)));
    const QJsonValue secret = body.value("secret"_L1);
    if (!secret.isObject() || secret.toObject().isEmpty())
        return invalid(u"secret"_s, u"a JSON object with the provider's secrets, such as "
                                    "{\"signing_secret\": \"whsec_…\"} for a webhook"_s);
    if (QJsonDocument(secret.toObject()).toJson(QJsonDocument::Compact).size() > kMaxSecretBytes)
        return invalid(u"secret"_s, u"at most 64 KiB of JSON"_s);
    if (provider == "webhook"_L1) {
        const QJsonValue signing = secret.toObject().value("signing_secret"_L1);
        if (!signing.isString() ||
            WebhookSignature::keyFromSecret(signing.toString().toUtf8()).size() < 16)
            return invalid(u"secret.signing_secret"_s,
                           u"a webhook credential holds a Standard Webhooks secret: 'whsec_' "
                           "and at least 16 bytes in base64"_s);
    }
    bool created = false;
    auto info = store.put(tenantId, tenant, name, provider, secret, *m_masterKey, &created);
    if (!info)
        return storeError(info.error());
    return json(credentialJson(*info), created ? 201 : 200);
}

} // namespace ferry::agent::api
