#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace ferry::agent::store {

// One field an event's `data` must carry: a dotted path (routing::isFieldPath()) and, when set,
// its JSON type (SchemaStore::fieldTypes()).
struct SchemaField
{
    QString path;
    QString type; // empty: any type
};

// One version of a tenant's event type in the schema registry (docs/schemas.md).
struct EventSchema
{
    qint64 tenantId = 0;
    QString tenant;
    QString eventType;
    QString version;
    QList<SchemaField> required;
    QString description; // null: none
    QDateTime updatedAt;

    // The API's view: {"event_type", "version", "required": [{"path", "type"}], "description",
    // "updated_at"}; a field without a type shows "type": null.
    QJsonObject toJson() const;
};

// The SQL of the schema registry: per tenant, per event type, its versions and their required
// fields. Every change is audited in the same transaction. Errors a caller can fix carry an HTTP
// status in Error::code: 404 no such version, 422 a schema that cannot be stored (the message
// names the field).
class SchemaStore
{
public:
    explicit SchemaStore(PgConnection &db, QString actor = {});

    // string, number, integer (a number without a fraction), boolean, object, array.
    static const QStringList &fieldTypes();

    // Creates or replaces the version (tenantId, tenant, eventType, version, required,
    // description of `schema`); `created` tells which.
    Result<EventSchema> put(const EventSchema &schema, bool *created);
    // By event type and version, after (afterType, afterVersion) (paging); `eventType` set: that
    // type's versions only.
    Result<QList<EventSchema>> list(qint64 tenantId, const QString &eventType,
                                    const QString &afterType, const QString &afterVersion,
                                    int limit);
    // 404 when there is none.
    Result<void> remove(qint64 tenantId, const QString &tenant, const QString &eventType,
                        const QString &version);
    // Whether the tenant refuses events that do not match their registered schema.
    Result<bool> strict(qint64 tenantId);
    // The registries of these tenants, every version (the batch writer's cache).
    Result<QList<EventSchema>> registries(const QList<qint64> &tenantIds);

private:
    Result<std::optional<EventSchema>> lockedRow(const EventSchema &key);
    Result<void> audit(const char *action, const EventSchema &schema, const QJsonObject &details);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
