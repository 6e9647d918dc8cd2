#include "agent/store/admin/routestore.h"

#include "agent/routing/upcast.h"
#include "agent/store/admin/auditlog.h"
#include "agent/store/admin/sealedsecretstore.h"
#include "shared/redactedurl.h"
#include "shared/uuidv7.h"
#include "shared/webhooksignature.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

constexpr const char *kSelect =
    "SELECT ep.id, ep.tenant_id, t.name, ep.channel, ep.url,"
    "  coalesce(array_to_json(ep.event_types)::text, '[]'), coalesce(ep.retry_schedule, ''),"
    "  coalesce(ep.max_attempts, 0), coalesce(ep.max_age_seconds, 0), ep.ordered, ep.on_dead,"
    "  coalesce(ep.max_concurrency, 0), ep.template, ep.enabled, coalesce(c.name, ''),"
    "  coalesce(ep.rate_per_second, 0)::text,"
    "  coalesce(array_to_json(ep.schema_versions)::text, '[]'),"
    "  coalesce(ep.schema_upcasts::text, '[]'), coalesce(ep.name, '') "
    "FROM endpoints ep JOIN tenants t ON t.id = ep.tenant_id "
    "LEFT JOIN credentials c ON c.id = ep.credential_id ";

Route routeAt(const PgResult &r, int i)
{
    Route route;
    route.id = r.int64(i, 0);
    route.tenantId = r.int64(i, 1);
    route.tenant = r.text(i, 2);
    route.channel = r.text(i, 3);
    route.target = r.text(i, 4);
    for (const auto &v : QJsonDocument::fromJson(r.bytes(i, 5)).array())
        route.eventTypes.append(v.toString());
    route.retrySchedule = r.text(i, 6);
    route.maxAttempts = int(r.int64(i, 7));
    route.maxAgeSeconds = r.int64(i, 8);
    route.ordered = r.boolean(i, 9);
    route.onBlock = r.text(i, 10);
    route.concurrency = int(r.int64(i, 11));
    route.templateText = r.isNull(i, 12) ? QString() : r.text(i, 12);
    route.enabled = r.boolean(i, 13);
    route.credential = r.text(i, 14);
    route.ratePerSecond = r.real(i, 15);
    for (const auto &v : QJsonDocument::fromJson(r.bytes(i, 16)).array())
        route.schemaVersions.append(v.toString());
    route.upcasts = QJsonDocument::fromJson(r.bytes(i, 17)).array();
    route.name = r.text(i, 18);
    return route;
}

QByteArray optionalNumber(qint64 v)
{
    return v > 0 ? QByteArray::number(v) : QByteArray();
}

QByteArray optionalText(const QString &s)
{
    return s.isNull() ? QByteArray() : s.toUtf8();
}

// $1 (the tenant for an insert, the route for an update) to $14, as create() and update() use
// them; a null `secret` keeps the stored one.
QList<QByteArray> routeParameters(qint64 first, const Route &route, const QByteArray &secret,
                                  qint64 credential)
{
    return {QByteArray::number(first),
            route.channel.toUtf8(),
            route.target.toUtf8(),
            route.eventTypes.isEmpty() ? QByteArray()
                                       : QJsonDocument(QJsonArray::fromStringList(route.eventTypes))
                                             .toJson(QJsonDocument::Compact),
            secret,
            route.retrySchedule.isEmpty() ? QByteArray() : route.retrySchedule.toUtf8(),
            optionalNumber(route.maxAttempts),
            optionalNumber(route.maxAgeSeconds),
            optionalNumber(route.concurrency),
            route.ordered ? "true" : "false",
            route.onBlock.toUtf8(),
            optionalText(route.templateText),
            credential ? QByteArray::number(credential) : QByteArray(),
            route.name.isEmpty() ? QByteArray() : route.name.toUtf8()};
}

// A name another route of the tenant has: 422 naming the field.
Error nameTaken(const Error &error, const Route &route)
{
    if (error.sqlState != "23505")
        return error;
    Error taken =
        makeError(u"tenant '%1' already has a route named '%2': choose another name"_s.arg(
                      route.tenant, route.name),
                  422);
    taken.sqlState = error.sqlState; // tells the API the field: `name`
    return taken;
}

// The event a test send delivers, as ingest stores a CloudEvent.
QByteArray testEvent(const QUuid &id, const Route &route, const QString &actor)
{
    const QJsonObject event{
        {u"specversion"_s, u"1.0"_s},
        {u"id"_s, id.toString(QUuid::WithoutBraces)},
        {u"source"_s, u"ferry/route-test"_s},
        {u"type"_s, u"ferry.test"_s},
        {u"time"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {u"datacontenttype"_s, u"application/json"_s},
        {u"data"_s,
         QJsonObject{{u"test"_s, true}, {u"route"_s, route.id}, {u"requested_by"_s, actor}}}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

} // namespace

QJsonObject Route::toJson() const
{
    QJsonValue retry = QJsonValue::Null;
    if (retrySchedule == "exponential"_L1)
        retry = QJsonObject{{u"exponential"_s, true}};
    else if (!retrySchedule.isEmpty())
        retry = QJsonObject{{u"schedule"_s, retrySchedule}};
    const auto orNull = [](qint64 v) { return v > 0 ? QJsonValue(v) : QJsonValue(); };
    return {{u"id"_s, id},
            {u"tenant"_s, tenant},
            {u"name"_s, name.isEmpty() ? QJsonValue() : QJsonValue(name)},
            {u"channel"_s, channel},
            {u"target"_s, target},
            {u"event_types"_s, QJsonArray::fromStringList(eventTypes)},
            {u"retry"_s, retry},
            {u"max_attempts"_s, orNull(maxAttempts)},
            {u"max_age"_s, orNull(maxAgeSeconds)},
            {u"ordered"_s, ordered},
            {u"on_block"_s, onBlock},
            {u"concurrency"_s, orNull(concurrency)},
            {u"rate_per_second"_s, ratePerSecond > 0 ? QJsonValue(ratePerSecond) : QJsonValue()},
            {u"template"_s, templateText.isNull() ? QJsonValue() : QJsonValue(templateText)},
            {u"enabled"_s, enabled},
            {u"credential"_s, credential.isEmpty() ? QJsonValue() : QJsonValue(credential)},
            {u"schema_versions"_s, QJsonArray::fromStringList(schemaVersions)},
            {u"upcasts"_s, upcasts}};
}

RouteStore::RouteStore(PgConnection &db, QString actor, const MasterKey *key)
    : m_db(db)
    , m_actor(std::move(actor))
    , m_key(key)
{}

Result<QList<Route>> RouteStore::list(qint64 tenantId, qint64 afterId, int limit)
{
    auto r = m_db.exec(
        (QByteArray(kSelect) + "WHERE ($1::bigint = 0 OR ep.tenant_id = $1) AND ep.id > $2 "
                               "ORDER BY ep.id LIMIT $3")
            .constData(),
        {QByteArray::number(tenantId), QByteArray::number(afterId), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<Route> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(routeAt(*r, i));
    return out;
}

Result<Route> RouteStore::get(qint64 id)
{
    auto r =
        m_db.exec((QByteArray(kSelect) + "WHERE ep.id = $1").constData(), {QByteArray::number(id)});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"no route %1 (see GET /v1/routes)"_s.arg(id), 404);
    return routeAt(*r, 0);
}

const QString &Route::providerFor(const QString &channel)
{
    static const QHash<QString, QString> providers{{u"webhook"_s, u"webhook"_s},
                                                   {u"email"_s, u"smtp"_s},
                                                   {u"sms"_s, u"twilio"_s},
                                                   {u"whatsapp"_s, u"meta"_s},
                                                   {u"push"_s, u"fcm"_s}};
    static const QString none;
    const auto it = providers.constFind(channel);
    return it == providers.cend() ? none : *it;
}

bool Route::sendsMessages(const QString &channel)
{
    return channel != "webhook"_L1 && !providerFor(channel).isEmpty();
}

Result<qint64> RouteStore::credentialId(const Route &route)
{
    const QString &provider = Route::providerFor(route.channel);
    if (route.credential.isEmpty()) {
        if (Route::sendsMessages(route.channel))
            return makeError(
                u"a %1 route sends through a provider account: name a '%2' "
                "credential of tenant '%3' in \"credential\" (store one with PUT "
                "/v1/tenants/%3/credentials/NAME)"_s.arg(route.channel, provider, route.tenant),
                422);
        return qint64(0);
    }
    auto r = m_db.exec("SELECT id, provider FROM credentials WHERE tenant_id = $1 AND name = $2",
                       {QByteArray::number(route.tenantId), route.credential.toUtf8()});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"tenant '%1' has no credential named '%2': store it first with PUT "
                         "/v1/tenants/%1/credentials/%2"_s.arg(route.tenant, route.credential),
                         422);
    if (r->text(0, 1) != provider)
        return makeError(u"credential '%1' is for provider '%2'; a %3 route needs a '%4' "
                         "credential"_s.arg(route.credential, r->text(0, 1), route.channel,
                                            provider.isEmpty() ? u"(none)"_s : provider),
                         422);
    return r->int64(0, 0);
}

Result<void> RouteStore::setRate(qint64 id, double ratePerSecond)
{
    return m_db.command("UPDATE endpoints SET rate_per_second = $2 WHERE id = $1",
                        {QByteArray::number(id), ratePerSecond > 0
                                                     ? QByteArray::number(ratePerSecond, 'g', 12)
                                                     : QByteArray()});
}

Result<void> RouteStore::setSchemas(qint64 id, const Route &route)
{
    // A route whose upcasts do not parse has none here: the API checked them before.
    const auto upcasts = routing::parseUpcasts(route.upcasts);
    const QStringList routable = routing::routableVersions(
        route.schemaVersions, upcasts ? *upcasts : QList<routing::Upcast>());
    const auto array = [](const QStringList &list) {
        return list.isEmpty()
                   ? QByteArray()
                   : QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact);
    };
    return m_db.command("UPDATE endpoints SET"
                        "  schema_versions = CASE WHEN $2::text IS NULL THEN NULL"
                        "    ELSE ARRAY(SELECT json_array_elements_text($2::json)) END,"
                        "  schema_upcasts = $3::jsonb,"
                        "  schema_routable = CASE WHEN $4::text IS NULL THEN NULL"
                        "    ELSE ARRAY(SELECT json_array_elements_text($4::json)) END "
                        "WHERE id = $1",
                        {QByteArray::number(id), array(route.schemaVersions),
                         route.upcasts.isEmpty()
                             ? QByteArray()
                             : QJsonDocument(route.upcasts).toJson(QJsonDocument::Compact),
                         array(routable)});
}

Result<void> RouteStore::audit(const char *action, const Route &route, QJsonObject details)
{
    // The log is read by more people than the route's admins: no target's user info or query.
    for (const char *side : {"before", "after"}) {
        QJsonObject o = details.value(QLatin1StringView(side)).toObject();
        if (o.contains("target"_L1)) {
            o.insert(u"target"_s, redactedUrl(o.value("target"_L1).toString()));
            details.insert(QLatin1StringView(side), o);
        }
    }
    return writeAudit(m_db, {.actor = m_actor,
                             .action = QString::fromLatin1(action),
                             .subject = route.tenant + u"/route/"_s + QString::number(route.id),
                             .tenant = route.tenant,
                             .details = details});
}

Result<Route> RouteStore::create(const Route &route, QByteArray *signingSecret)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto credential = credentialId(route);
    if (!credential)
        return credential.error();
    const QByteArray secret = *credential ? QByteArray() : WebhookSignature::generateSecret();
    auto r = m_db.exec(
        "INSERT INTO endpoints (tenant_id, channel, url, event_types, secret, retry_schedule,"
        "  max_attempts, max_age_seconds, max_concurrency, ordered, on_dead, template,"
        "  credential_id, name) "
        "SELECT $1, $2, $3, CASE WHEN $4::text IS NULL THEN NULL"
        "  ELSE ARRAY(SELECT json_array_elements_text($4::json)) END, $5, $6, $7, $8, $9, $10,"
        "  $11, $12, $13, $14 RETURNING id",
        routeParameters(route.tenantId, route, QByteArray(""), *credential));
    if (!r)
        return nameTaken(r.error(), route);
    Route stored = route;
    stored.id = r->int64(0, 0);
    if (!secret.isEmpty()) {
        if (auto s = SealedSecretStore(m_db).setEndpointSecret(stored.id, secret, m_key); !s)
            return s.error();
    }
    if (auto rate = setRate(stored.id, route.ratePerSecond); !rate)
        return rate.error();
    if (auto schemas = setSchemas(stored.id, route); !schemas)
        return schemas.error();
    if (auto a = audit("route.create", stored, {{u"after"_s, stored.toJson()}}); !a)
        return a.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    if (signingSecret)
        *signingSecret = secret;
    return get(stored.id);
}

Result<Route> RouteStore::update(const Route &route, QByteArray *signingSecret)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto before = m_db.exec((QByteArray(kSelect) + "WHERE ep.id = $1 FOR UPDATE OF ep").constData(),
                            {QByteArray::number(route.id)});
    if (!before)
        return before.error();
    if (before->rows() == 0)
        return makeError(u"no route %1 (see GET /v1/routes)"_s.arg(route.id), 404);
    const Route old = routeAt(*before, 0);
    auto credential = credentialId(route);
    if (!credential)
        return credential.error();
    // A route that names a credential has no secret of its own; one that stops naming it gets a
    // fresh secret.
    QByteArray secret; // null: keep the stored one
    if (*credential) {
        secret = QByteArray(""); // signed with the credential: no secret of its own
    } else {
        auto s = m_db.exec("SELECT coalesce(secret, '') = '' AND secret_sealed IS NULL "
                           "FROM endpoints WHERE id = $1",
                           {QByteArray::number(route.id)});
        if (!s)
            return s.error();
        if (s->boolean(0, 0))
            secret = WebhookSignature::generateSecret();
    }
    auto r = m_db.exec(
        "UPDATE endpoints SET channel = $2, url = $3, event_types = CASE WHEN $4::text IS NULL "
        "  THEN NULL ELSE ARRAY(SELECT json_array_elements_text($4::json)) END,"
        "  secret = coalesce($5, secret), retry_schedule = $6, max_attempts = $7,"
        "  max_age_seconds = $8, max_concurrency = $9, ordered = $10, on_dead = $11,"
        "  template = $12, credential_id = $13, name = $14, enabled = $15,"
        "  disabled_reason = CASE WHEN $15 THEN NULL"
        "    ELSE coalesce(disabled_reason, 'disabled through the API') END "
        "WHERE id = $1",
        routeParameters(route.id, route, *credential ? secret : QByteArray(), *credential)
            << (route.enabled ? "true" : "false"));
    if (!r)
        return nameTaken(r.error(), route);
    if (auto s = storeOwnSecret(route.id, *credential, secret); !s)
        return s.error();
    if (auto rate = setRate(route.id, route.ratePerSecond); !rate)
        return rate.error();
    if (auto schemas = setSchemas(route.id, route); !schemas)
        return schemas.error();
    if (auto a = audit("route.update", route,
                       {{u"before"_s, old.toJson()},
                        {u"after"_s, route.toJson()},
                        {u"new_signing_secret"_s, !secret.isEmpty()}});
        !a)
        return a.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    if (signingSecret)
        *signingSecret = secret.isEmpty() ? QByteArray() : secret;
    return get(route.id);
}

// A route that signs with a credential keeps no sealed secret of its own; one that got a fresh
// secret stores it (sealed under the master key when there is one).
Result<void> RouteStore::storeOwnSecret(qint64 id, qint64 credential, const QByteArray &secret)
{
    if (credential) {
        auto r = m_db.exec("UPDATE endpoints SET secret_sealed = NULL, secret_nonce = NULL, "
                           "secret_key_id = NULL WHERE id = $1",
                           {QByteArray::number(id)});
        return r ? Result<void>() : r.error();
    }
    if (secret.isEmpty())
        return {};
    return SealedSecretStore(m_db).setEndpointSecret(id, secret, m_key);
}

Result<void> RouteStore::disable(qint64 id)
{
    auto current = get(id);
    if (!current)
        return current.error();
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto r = m_db.exec("UPDATE endpoints SET enabled = false, disabled_reason = 'deleted through "
                       "the API' WHERE id = $1",
                       {QByteArray::number(id)});
    Result<void> done;
    if (!r)
        done = r.error();
    else
        done = audit("route.delete", *current, {{u"before"_s, current->toJson()}});
    if (!done)
        return done;
    return tx->commit();
}

Result<RouteStore::TestSend> RouteStore::sendTest(const Route &route)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    const QUuid eventId = createUuidV7();
    // Straight to this route: the event is not routed, so no other route sees it.
    auto r = m_db.exec(
        "WITH ev AS (INSERT INTO events (id, tenant_id, source, ce_id, type, payload, test)"
        "  VALUES ($1::uuid, $2, 'ferry/route-test', $1::text, 'ferry.test', $3::json, true)"
        "  RETURNING id) "
        "INSERT INTO deliveries (event_id, endpoint_id, tenant_id) "
        "SELECT id, $4, $2 FROM ev RETURNING id",
        {eventId.toByteArray(QUuid::WithoutBraces), QByteArray::number(route.tenantId),
         testEvent(eventId, route, m_actor), QByteArray::number(route.id)});
    if (!r)
        return r.error();
    const TestSend sent{eventId, QUuid::fromString(r->text(0, 0))};
    const AuditEntry entry{
        .actor = m_actor,
        .action = u"route.test"_s,
        .subject = route.tenant + u"/route/"_s + QString::number(route.id),
        .tenant = route.tenant,
        .details = {{u"event_id"_s, eventId.toString(QUuid::WithoutBraces)},
                    {u"delivery_id"_s, sent.deliveryId.toString(QUuid::WithoutBraces)}}};
    if (auto a = writeAudit(m_db, entry); !a)
        return a.error();
    // Any agent's dispatcher may take it; the payload is no agent's id, so every one wakes.
    if (auto n = m_db.exec("SELECT pg_notify('ferry_work', 'route-test')"); !n)
        return n.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    return sent;
}

} // namespace ferry::agent::store
