#pragma once

#include "agent/store/admin/schemastore.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace ferry::agent::ingest {

// One tenant's schema registry as the batch writer keeps it: event type → version → the fields
// an event's `data` must carry.
using SchemaRegistry = QHash<QString, QHash<QString, QList<store::SchemaField>>>;

// The registries of the tenants in `schemas`, by tenant id (a tenant without a row: none).
QHash<qint64, SchemaRegistry> registriesOf(const QList<store::EventSchema> &schemas);

// Why an event does not match its schema: `detail` names the event type, the version and the
// missing or mistyped fields, as a producer reads it; `members` are the problem's extension
// members (event_type, schema_version, registered_versions, missing, mistyped).
struct SchemaViolation
{
    QString detail;
    QJsonObject members;
};

// Checks an event of a strict tenant (docs/schemas.md): an event of a type the registry does
// not hold passes; one of a registered type must name a registered version and carry that
// version's required fields (null counts as missing) with their types. `eventJson` is the
// CloudEvent, read only when the type is registered.
std::optional<SchemaViolation> checkSchema(const SchemaRegistry &registry, const QString &type,
                                           const QString &version, const QByteArray &eventJson);

} // namespace ferry::agent::ingest
