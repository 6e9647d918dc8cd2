#include "agent/store/admin/adminstore.h"

#include "agent/store/admin/auditlog.h"
#include "agent/store/admin/sealedsecretstore.h"
#include "agent/store/admin/tenantstore.h"

#include "shared/redactedurl.h"
#include "shared/retrypolicy.h"
#include "shared/webhooksignature.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// A producer bearer token: `fpt_` and 32 random bytes; only its SHA-256 is stored.
QByteArray newProducerToken()
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(raw.begin(), raw.end());
    return "fpt_" + raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

AdminStore::AdminStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

Result<qint64> AdminStore::tenantId(const QString &name)
{
    auto r = m_db.exec("SELECT id FROM tenants WHERE name = $1", {name.toUtf8()});
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return makeError(u"no tenant named '%1' (create it with 'ferry-agent tenant create "
                         "%1')"_s.arg(name));
    return r->int64(0, 0);
}

Result<QByteArray> AdminStore::createTenant(const QString &name)
{
    static const QRegularExpression valid(u"^[a-z0-9][a-z0-9_-]{0,62}$"_s);
    if (!valid.match(name).hasMatch())
        return makeError(u"'%1' is not a valid tenant name: use 1 to 63 lowercase letters, "
                         "digits, '-' or '_', starting with a letter or digit"_s.arg(name));
    const QByteArray token = newProducerToken();
    const QByteArray hash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);

    auto done = m_db.inTransaction([&]() -> Result<void> {
        auto exists = m_db.exec("SELECT 1 FROM tenants WHERE name = $1", {name.toUtf8()});
        if (!exists)
            return exists.error();
        if (exists->rows() > 0)
            return makeError(u"a tenant named '%1' already exists"_s.arg(name));
        auto t = m_db.exec("INSERT INTO tenants (name) VALUES ($1) RETURNING id", {name.toUtf8()});
        if (!t)
            return t.error();
        const QByteArray id = QByteArray::number(t->int64(0, 0));
        auto k = m_db.exec("INSERT INTO producer_tokens (tenant_id, token_hash) VALUES ($1, $2)",
                           {id, pgBytea(hash)});
        if (!k)
            return k.error();
        return writeAudit(m_db, {.actor = m_actor,
                                 .action = u"tenant.create"_s,
                                 .subject = name,
                                 .tenant = name,
                                 .details = {}});
    });
    if (!done)
        return done.error();
    return token;
}

Result<void> AdminStore::setQuotas(const QString &tenant, const Quotas &quotas)
{
    auto id = tenantId(tenant);
    if (!id)
        return id.error();
    TenantStore::TenantUpdate update;
    update.eventsPerSecond = quotas.eventsPerSecond;
    update.eventsPerDay = quotas.eventsPerDay;
    update.maxPayloadBytes = quotas.maxPayloadBytes;
    return m_db.inTransaction([&]() -> Result<void> {
        auto r = TenantStore(m_db).applyUpdate(*id, update);
        if (!r)
            return r.error();
        QJsonObject details{{u"max_events_per_second"_s, r->text(0, 0)},
                            {u"max_events_per_day"_s, r->text(0, 1)},
                            {u"max_payload_bytes"_s, r->text(0, 2)}};
        return writeAudit(m_db, {.actor = m_actor,
                                 .action = u"tenant.quotas"_s,
                                 .subject = tenant,
                                 .tenant = tenant,
                                 .details = details});
    });
}

Result<QByteArray> AdminStore::addEndpoint(const QString &tenant, const QString &url,
                                           const EndpointOptions &options, const MasterKey *key)
{
    const QString &eventType = options.eventType;
    if (!options.retrySchedule.isEmpty()) {
        if (auto p = RetryPolicy::parse(options.retrySchedule, {}); !p)
            return p.error();
    }
    if (options.onDead != "block"_L1 && options.onDead != "skip"_L1)
        return makeError(u"--on-dead is 'block' (hold the partition until an operator acts) or "
                         "'skip' (carry on; the dead delivery waits in the DLQ)"_s);
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || (parsed.scheme() != "http"_L1 && parsed.scheme() != "https"_L1) ||
        parsed.host().isEmpty())
        return makeError(u"'%1' is not a valid endpoint URL: give an absolute http:// or "
                         "https:// URL such as https://partner.example/hooks/ferry"_s.arg(url));
    auto id = tenantId(tenant);
    if (!id)
        return id.error();
    const QByteArray secret = WebhookSignature::generateSecret();
    auto done = m_db.inTransaction([&]() -> Result<void> {
        const auto optionalInt = [](qint64 v) {
            return v > 0 ? QByteArray::number(v) : QByteArray();
        };
        auto e = m_db.exec(
            "INSERT INTO endpoints (tenant_id, url, event_types, retry_schedule,"
            "  max_attempts, max_age_seconds, max_concurrency, ordered, on_dead) "
            "VALUES ($1, $2, CASE WHEN $3::text IS NULL THEN NULL ELSE ARRAY[$3::text] END,"
            "  $4, $5, $6, $7, $8, $9) RETURNING id",
            {QByteArray::number(*id), url.toUtf8(),
             eventType.isEmpty() ? QByteArray() : eventType.toUtf8(),
             options.retrySchedule.isEmpty() ? QByteArray() : options.retrySchedule.toUtf8(),
             optionalInt(options.maxAttempts), optionalInt(options.maxAgeSeconds),
             optionalInt(options.maxConcurrency), options.ordered ? "true" : "false",
             options.onDead.toUtf8()});
        if (!e)
            return e.error();
        if (auto stored = SealedSecretStore(m_db).setEndpointSecret(e->int64(0, 0), secret, key);
            !stored)
            return stored.error();
        QJsonObject details{{u"url"_s, redactedUrl(url)},
                            {u"event_type"_s, eventType},
                            {u"retry_schedule"_s, options.retrySchedule},
                            {u"max_attempts"_s, options.maxAttempts},
                            {u"max_age_seconds"_s, options.maxAgeSeconds},
                            {u"max_concurrency"_s, options.maxConcurrency},
                            {u"ordered"_s, options.ordered},
                            {u"on_dead"_s, options.onDead}};
        return writeAudit(m_db, {.actor = m_actor,
                                 .action = u"endpoint.add"_s,
                                 .subject = tenant + u"/endpoint/"_s + e->text(0, 0),
                                 .tenant = tenant,
                                 .details = details});
    });
    if (!done)
        return done.error();
    return secret;
}

Result<QString> AdminStore::deliveryState(const QUuid &id)
{
    auto r = m_db.exec("SELECT ferry_delivery_state(d.state, q.state) FROM deliveries d "
                       "LEFT JOIN delivery_queue q ON q.delivery_id = d.id WHERE d.id = $1",
                       {id.toByteArray(QUuid::WithoutBraces)});
    if (!r)
        return r.error();
    return r->rows() ? r->text(0, 0) : QString();
}

Result<qint64> AdminStore::findTenant(const QString &name)
{
    auto r = m_db.exec("SELECT id FROM tenants WHERE name = $1", {name.toUtf8()});
    if (!r)
        return r.error();
    return r->rows() ? r->int64(0, 0) : qint64(0);
}

Result<QPair<qint64, QByteArray>> AdminStore::addProducerToken(const QString &tenant)
{
    auto id = tenantId(tenant);
    if (!id)
        return id.error();
    const QByteArray token = newProducerToken();
    const QByteArray hash = QCryptographicHash::hash(token, QCryptographicHash::Sha256);
    qint64 tokenId = 0;
    auto done = m_db.inTransaction([&]() -> Result<void> {
        auto k = m_db.exec("INSERT INTO producer_tokens (tenant_id, token_hash) VALUES ($1, $2) "
                           "RETURNING id",
                           {QByteArray::number(*id), pgBytea(hash)});
        if (!k)
            return k.error();
        tokenId = k->int64(0, 0);
        return writeAudit(m_db,
                          {.actor = m_actor,
                           .action = u"producer_token.add"_s,
                           .subject = tenant + u"/producer_token/"_s + QString::number(tokenId),
                           .tenant = tenant,
                           .details = {}});
    });
    if (!done)
        return done.error();
    return qMakePair(tokenId, token);
}

Result<void> AdminStore::revokeProducerToken(const QString &tenant, qint64 id)
{
    return m_db.inTransaction([&]() -> Result<void> {
        auto r = m_db.exec("UPDATE producer_tokens k SET revoked_at = now() FROM tenants t "
                           "WHERE t.id = k.tenant_id AND t.name = $1 AND k.id = $2 "
                           "AND k.revoked_at IS NULL RETURNING k.id",
                           {tenant.toUtf8(), QByteArray::number(id)});
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return makeError(u"tenant '%1' has no active producer token %2 (see GET "
                             "/v1/tenants/%1/producers)"_s.arg(tenant)
                                 .arg(id),
                             404);
        return writeAudit(m_db, {.actor = m_actor,
                                 .action = u"producer_token.revoke"_s,
                                 .subject = tenant + u"/producer_token/"_s + QString::number(id),
                                 .tenant = tenant,
                                 .details = {}});
    });
}

Result<QList<ProducerCredential>> AdminStore::producerCredentials(const QString &tenant,
                                                                  const QString &afterKind,
                                                                  qint64 afterId, int limit)
{
    auto r = m_db.exec(
        "SELECT kind, id, public_key, created_at, revoked_at FROM ("
        "  SELECT 'curve' AS kind, k.id, k.public_key, k.created_at, k.revoked_at"
        "  FROM producer_keys k JOIN tenants t ON t.id = k.tenant_id WHERE t.name = $1"
        "  UNION ALL"
        "  SELECT 'token', k.id, NULL, k.created_at, k.revoked_at"
        "  FROM producer_tokens k JOIN tenants t ON t.id = k.tenant_id WHERE t.name = $1) p "
        "WHERE (kind, id) > (coalesce($2, ''), $3) ORDER BY kind, id LIMIT $4",
        {tenant.toUtf8(), afterKind.toUtf8(), QByteArray::number(afterId),
         QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<ProducerCredential> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->text(i, 0), r->int64(i, 1), r->bytes(i, 2), r->timestamp(i, 3),
                    r->timestamp(i, 4)});
    return out;
}

} // namespace ferry::agent::store
