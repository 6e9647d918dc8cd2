#include "agent/store/admin/schemastore.h"

#include "agent/routing/upcast.h"
#include "agent/store/admin/auditlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

constexpr qsizetype kMaxFields = 100;
constexpr qsizetype kMaxDescription = 1000;

constexpr const char *kSelect =
    "SELECT s.tenant_id, t.name, s.event_type, s.version, s.required::text, s.description,"
    "  s.updated_at "
    "FROM event_schemas s JOIN tenants t ON t.id = s.tenant_id ";

QJsonArray fieldsJson(const QList<SchemaField> &fields)
{
    QJsonArray out;
    for (const SchemaField &f : fields)
        out.append(QJsonObject{{u"path"_s, f.path},
                               {u"type"_s, f.type.isEmpty() ? QJsonValue() : QJsonValue(f.type)}});
    return out;
}

EventSchema schemaAt(const PgResult &r, int i)
{
    EventSchema s;
    s.tenantId = r.int64(i, 0);
    s.tenant = r.text(i, 1);
    s.eventType = r.text(i, 2);
    s.version = r.text(i, 3);
    for (const QJsonValue &f : QJsonDocument::fromJson(r.bytes(i, 4)).array())
        s.required.append({f["path"_L1].toString(), f["type"_L1].toString()});
    s.description = r.isNull(i, 5) ? QString() : r.text(i, 5);
    s.updatedAt = r.timestamp(i, 6);
    return s;
}

// Text as a parameter: a null QString is '' here, never SQL NULL.
QByteArray text(const QString &s)
{
    return s.isNull() ? QByteArray("") : s.toUtf8();
}

QList<QByteArray> keyParameters(qint64 tenantId, const QString &eventType, const QString &version)
{
    return {QByteArray::number(tenantId), text(eventType), text(version)};
}

Error notFound(const QString &tenant, const QString &eventType, const QString &version)
{
    return makeError(u"tenant '%1' has no schema version '%2' of event type '%3' (see GET "
                     "/v1/tenants/%1/schemas)"_s.arg(tenant, version, eventType),
                     404);
}

std::optional<Error> invalidField(const SchemaField &f, QSet<QString> &seen)
{
    if (!routing::isFieldPath(f.path))
        return makeError(u"required: '%1' is not a path into the event's data: dotted keys such "
                         "as \"customer.id\", at most 200 characters, no spaces"_s.arg(f.path),
                         422);
    if (!f.type.isEmpty() && !SchemaStore::fieldTypes().contains(f.type))
        return makeError(
            u"required: '%1' has type '%2'; a type is one of %3, or none for any"_s.arg(
                f.path, f.type, SchemaStore::fieldTypes().join(u", "_s)),
            422);
    if (seen.contains(f.path))
        return makeError(u"required: '%1' is listed twice"_s.arg(f.path), 422);
    seen.insert(f.path);
    return std::nullopt;
}

// The 422 for a schema that cannot be stored, or nothing.
std::optional<Error> invalid(const EventSchema &s)
{
    static const QRegularExpression type(u"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$"_s);
    if (!type.match(s.eventType).hasMatch())
        return makeError(u"'%1' is not an event type: 1 to 200 letters, digits, '.', '_', ':' or "
                         "'-'"_s.arg(s.eventType),
                         422);
    if (!routing::isSchemaVersion(s.version))
        return makeError(u"'%1' is not a schema version: 1 to 64 letters, digits, '.', '_' or "
                         "'-', such as \"2\" or \"v2.1\""_s.arg(s.version),
                         422);
    if (s.required.size() > kMaxFields)
        return makeError(u"required: at most %1 fields per version"_s.arg(kMaxFields), 422);
    if (s.description.size() > kMaxDescription)
        return makeError(u"description: at most %1 characters"_s.arg(kMaxDescription), 422);
    QSet<QString> seen;
    for (const SchemaField &f : s.required) {
        if (auto bad = invalidField(f, seen))
            return bad;
    }
    return std::nullopt;
}

} // namespace

QJsonObject EventSchema::toJson() const
{
    return {{u"event_type"_s, eventType},
            {u"version"_s, version},
            {u"required"_s, fieldsJson(required)},
            {u"description"_s, description.isNull() ? QJsonValue() : QJsonValue(description)},
            {u"updated_at"_s, updatedAt.toUTC().toString(Qt::ISODateWithMs)}};
}

SchemaStore::SchemaStore(PgConnection &db, QString actor)
    : m_db(db)
    , m_actor(std::move(actor))
{}

const QStringList &SchemaStore::fieldTypes()
{
    static const QStringList types{u"string"_s,  u"number"_s, u"integer"_s,
                                   u"boolean"_s, u"object"_s, u"array"_s};
    return types;
}

Result<EventSchema> SchemaStore::put(const EventSchema &schema, bool *created)
{
    if (auto bad = invalid(schema))
        return *bad;
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    auto before = lockedRow(schema);
    if (!before)
        return before.error();
    auto r = m_db.exec(
        "INSERT INTO event_schemas (tenant_id, event_type, version, required, description) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, event_type, version) DO UPDATE SET "
        "  required = excluded.required, description = excluded.description, updated_at = now() "
        "RETURNING updated_at",
        keyParameters(schema.tenantId, schema.eventType, schema.version)
            << QJsonDocument(fieldsJson(schema.required)).toJson(QJsonDocument::Compact)
            << (schema.description.isNull() ? QByteArray() : schema.description.toUtf8()));
    if (!r)
        return r.error();
    EventSchema stored = schema;
    stored.updatedAt = r->timestamp(0, 0);
    QJsonObject details{{u"after"_s, stored.toJson()}};
    if (*before)
        details.insert(u"before"_s, (*before)->toJson());
    if (auto a = audit(*before ? "schema.update" : "schema.create", stored, details); !a)
        return a.error();
    if (auto c = tx->commit(); !c)
        return c.error();
    if (created)
        *created = !before->has_value();
    return stored;
}

Result<QList<EventSchema>> SchemaStore::list(qint64 tenantId, const QString &eventType,
                                             const QString &afterType, const QString &afterVersion,
                                             int limit)
{
    auto r = m_db.exec((QByteArray(kSelect) +
                        "WHERE s.tenant_id = $1 AND ($2::text = '' OR s.event_type = $2::text) AND "
                        "(s.event_type, s.version) > ($3, $4) ORDER BY s.event_type, s.version "
                        "LIMIT $5")
                           .constData(),
                       {QByteArray::number(tenantId), text(eventType), text(afterType),
                        text(afterVersion), QByteArray::number(limit)});
    if (!r)
        return r.error();
    QList<EventSchema> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(schemaAt(*r, i));
    return out;
}

Result<void> SchemaStore::remove(qint64 tenantId, const QString &tenant, const QString &eventType,
                                 const QString &version)
{
    auto tx = m_db.transaction();
    if (!tx)
        return tx.error();
    EventSchema key;
    key.tenantId = tenantId;
    key.tenant = tenant;
    key.eventType = eventType;
    key.version = version;
    auto before = lockedRow(key);
    if (!before)
        return before.error();
    if (!*before)
        return notFound(tenant, eventType, version);
    if (auto d = m_db.command("DELETE FROM event_schemas WHERE tenant_id = $1 AND event_type = $2 "
                              "AND version = $3",
                              keyParameters(tenantId, eventType, version));
        !d)
        return d.error();
    if (auto a = audit("schema.delete", key, {{u"before"_s, (*before)->toJson()}}); !a)
        return a.error();
    return tx->commit();
}

Result<bool> SchemaStore::strict(qint64 tenantId)
{
    auto r = m_db.exec("SELECT strict_schemas FROM tenants WHERE id = $1",
                       {QByteArray::number(tenantId)});
    if (!r)
        return r.error();
    return r->rows() > 0 && r->boolean(0, 0);
}

Result<QList<EventSchema>> SchemaStore::registries(const QList<qint64> &tenantIds)
{
    auto r = m_db.exec((QByteArray(kSelect) + "WHERE s.tenant_id = ANY($1::bigint[])").constData(),
                       {pgInt64Array(tenantIds)});
    if (!r)
        return r.error();
    QList<EventSchema> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(schemaAt(*r, i));
    return out;
}

Result<std::optional<EventSchema>> SchemaStore::lockedRow(const EventSchema &key)
{
    auto r = m_db.exec((QByteArray(kSelect) + "WHERE s.tenant_id = $1 AND s.event_type = $2 AND "
                                              "s.version = $3 FOR UPDATE OF s")
                           .constData(),
                       keyParameters(key.tenantId, key.eventType, key.version));
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<EventSchema>();
    return std::optional<EventSchema>(schemaAt(*r, 0));
}

Result<void> SchemaStore::audit(const char *action, const EventSchema &s,
                                const QJsonObject &details)
{
    return writeAudit(m_db, {.actor = m_actor,
                             .action = QString::fromLatin1(action),
                             .subject = u"%1/schema/%2/%3"_s.arg(s.tenant, s.eventType, s.version),
                             .tenant = s.tenant,
                             .details = details});
}

} // namespace ferry::agent::store
