#include "agent/store/admin/templatestore.h"

#include "agent/store/admin/auditlog.h"
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

constexpr const char *kSelect =
    "SELECT tp.tenant_id, t.name, tp.channel, tp.event_type, tp.subject, tp.text_body,"
    "  tp.html_body, tp.options::text, tp.updated_at "
    "FROM templates tp JOIN tenants t ON t.id = tp.tenant_id ";

StoredTemplate templateAt(const PgResult &r, int i)
{
    StoredTemplate t;
    t.tenantId = r.int64(i, 0);
    t.tenant = r.text(i, 1);
    t.channel = r.text(i, 2);
    t.eventType = r.text(i, 3);
    t.parts.subject = r.text(i, 4);
    t.parts.text = r.text(i, 5);
    t.parts.html = r.text(i, 6);
    t.parts.options = QJsonDocument::fromJson(r.bytes(i, 7)).object();
    t.updatedAt = r.timestamp(i, 8);
    return t;
}

// Text as a parameter: a null QString is '' here, never SQL NULL.
QByteArray text(const QString &s)
{
    return s.isNull() ? QByteArray("") : s.toUtf8();
}

QList<QByteArray> keyParameters(qint64 tenantId, const QString &channel, const QString &type)
{
    return {QByteArray::number(tenantId), text(channel), text(type)};
}

Error notFound(const QString &tenant, const QString &channel, const QString &eventType)
{
    return makeError(
        u"tenant '%1' has no %2 template for event type '%3'"_s.arg(tenant, channel, eventType),
        404);
}

// The 422 for a template that cannot be stored, or nothing.
std::optional<Error> invalid(const StoredTemplate &t, const QJsonObject *sample)
{
    if (!TemplateStore::channels().contains(t.channel))
        return makeError(u"unknown channel '%1': templates are for %2"_s.arg(
                             t.channel, TemplateStore::channels().join(u", "_s)),
                         422);
    if (!TemplateStore::validEventType(t.eventType))
        return makeError(u"'%1' is not an event type: use '*' or 1 to 200 letters, digits, '.', "
                         "'_', ':' or '-'"_s.arg(t.eventType),
                         422);
    if (auto v = templates::MessageTemplate::validate(t.parts, sample); !v)
        return makeError(v.error().message(), 422);
    return std::nullopt;
}

} // namespace

QJsonObject StoredTemplate::toJson() const
{
    return {{u"channel"_s, channel},
            {u"event_type"_s, eventType},
            {u"subject"_s, parts.subject},
            {u"text"_s, parts.text},
            {u"html"_s, parts.html},
            {u"options"_s, parts.options},
            {u"updated_at"_s, updatedAt.toUTC().toString(Qt::ISODateWithMs)}};
}

TemplateStore::TemplateStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

const QStringList &TemplateStore::channels()
{
    static const QStringList list{u"email"_s, u"sms"_s, u"whatsapp"_s, u"push"_s};
    return list;
}

bool TemplateStore::validEventType(const QString &eventType)
{
    static const QRegularExpression valid(u"^(\\*|[A-Za-z0-9][A-Za-z0-9_.:-]{0,199})$"_s);
    return valid.match(eventType).hasMatch();
}

Result<StoredTemplate> TemplateStore::put(const StoredTemplate &t, const QJsonObject *sample,
                                          bool *created)
{
    if (auto bad = invalid(t, sample))
        return *bad;
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto before = lockedRow(t);
    if (!before)
        return before.error();
    auto r = m_db.exec(
        "INSERT INTO templates (tenant_id, channel, event_type, subject, text_body, html_body,"
        "  options) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (tenant_id, channel, event_type) DO UPDATE SET subject = excluded.subject,"
        "  text_body = excluded.text_body, html_body = excluded.html_body,"
        "  options = excluded.options, updated_at = now() "
        "RETURNING updated_at",
        keyParameters(t.tenantId, t.channel, t.eventType)
            << text(t.parts.subject) << text(t.parts.text) << text(t.parts.html)
            << QJsonDocument(t.parts.options).toJson(QJsonDocument::Compact));
    if (!r)
        return r.error();
    StoredTemplate stored = t;
    stored.updatedAt = r->timestamp(0, 0);
    QJsonObject details{{u"after"_s, stored.toJson()}};
    if (*before)
        details.insert(u"before"_s, (*before)->toJson());
    if (auto a = audit(*before ? "template.update" : "template.create", stored, details); !a)
        return a.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    if (created)
        *created = !before->has_value();
    return stored;
}

Result<StoredTemplate> TemplateStore::get(qint64 tenantId, const QString &tenant,
                                          const QString &channel, const QString &eventType)
{
    auto r = m_db.exec((QByteArray(kSelect) + "WHERE tp.tenant_id = $1 AND tp.channel = $2 AND "
                                              "tp.event_type = $3")
                           .constData(),
                       keyParameters(tenantId, channel, eventType));
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return notFound(tenant, channel, eventType);
    return templateAt(*r, 0);
}

Result<std::optional<StoredTemplate>> TemplateStore::find(qint64 tenantId, const QString &channel,
                                                          const QString &eventType)
{
    // Prepared: the dispatcher asks this for every message whose template is not cached. The
    // static's address names the statement.
    static const QByteArray sql =
        QByteArray(kSelect) + "WHERE tp.tenant_id = $1 AND tp.channel = $2 AND tp.event_type IN "
                              "($3, '*') ORDER BY tp.event_type = '*' LIMIT 1";
    auto r = m_db.execPrepared(sql.constData(), keyParameters(tenantId, channel, eventType));
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<StoredTemplate>();
    return std::optional<StoredTemplate>(templateAt(*r, 0));
}

Result<QList<StoredTemplate>> TemplateStore::list(qint64 tenantId, const QString &afterChannel,
                                                  const QString &afterEventType, int limit)
{
    auto r = m_db.exec((QByteArray(kSelect) + "WHERE tp.tenant_id = $1 AND (tp.channel, "
                                              "tp.event_type) > ($2, $3) ORDER BY tp.channel, "
                                              "tp.event_type LIMIT $4")
                           .constData(),
                       keyParameters(tenantId, afterChannel, afterEventType)
                           << QByteArray::number(limit));
    if (!r)
        return r.error();
    QList<StoredTemplate> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(templateAt(*r, i));
    return out;
}

Result<void> TemplateStore::remove(qint64 tenantId, const QString &tenant, const QString &channel,
                                   const QString &eventType)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    const StoredTemplate key{tenantId, tenant, channel, eventType, {}, {}};
    auto before = lockedRow(key);
    if (!before)
        return before.error();
    if (!*before)
        return notFound(tenant, channel, eventType);
    auto d = m_db.exec("DELETE FROM templates WHERE tenant_id = $1 AND channel = $2 AND "
                       "event_type = $3",
                       keyParameters(tenantId, channel, eventType));
    if (!d)
        return d.error();
    if (auto a = audit("template.delete", key, {{u"before"_s, (*before)->toJson()}}); !a)
        return a.error();
    return tx->commit();
}

Result<std::optional<StoredTemplate>> TemplateStore::lockedRow(const StoredTemplate &key)
{
    auto r = m_db.exec((QByteArray(kSelect) + "WHERE tp.tenant_id = $1 AND tp.channel = $2 AND "
                                              "tp.event_type = $3 FOR UPDATE OF tp")
                           .constData(),
                       keyParameters(key.tenantId, key.channel, key.eventType));
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<StoredTemplate>();
    return std::optional<StoredTemplate>(templateAt(*r, 0));
}

Result<void> TemplateStore::audit(const char *action, const StoredTemplate &t,
                                  const QJsonObject &details)
{
    return writeAudit(m_db,
                      {.actor = m_actor,
                       .action = QString::fromLatin1(action),
                       .subject = u"%1/template/%2/%3"_s.arg(t.tenant, t.channel, t.eventType),
                       .tenant = t.tenant,
                       .details = details});
}

} // namespace ferry::agent::store
