#include "agent/ingest/schemacheck.h"

#include "agent/routing/upcast.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

namespace {

QString jsonType(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return u"boolean"_s;
    case QJsonValue::Double:
        return u"number"_s;
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    default:
        return u"null"_s;
    }
}

bool hasType(const QJsonValue &v, const QString &type)
{
    if (type.isEmpty())
        return true;
    if (type == "integer"_L1)
        return v.isDouble() && std::isfinite(v.toDouble()) &&
               v.toDouble() == std::trunc(v.toDouble());
    return jsonType(v) == type;
}

SchemaViolation unknownVersion(const QString &type, const QString &version,
                               const QHash<QString, QList<store::SchemaField>> &versions)
{
    QStringList known = versions.keys();
    std::sort(known.begin(), known.end());
    const QString list = known.join(u", "_s);
    SchemaViolation v;
    v.detail = version.isEmpty()
                   ? u"event type '%1' is registered with schema versions %2 and this tenant "
                     "refuses events that name none: set the 'schemaversion' attribute to one of "
                     "them; nothing was stored"_s.arg(type, list)
                   : u"event type '%1' has no schema version '%2' (registered: %3): send one of "
                     "those, or register '%2' with PUT /v1/tenants/{tenant}/schemas/%1/%2; "
                     "nothing was stored"_s.arg(type, version, list);
    v.members = {{u"event_type"_s, type},
                 {u"schema_version"_s, version.isEmpty() ? QJsonValue() : QJsonValue(version)},
                 {u"registered_versions"_s, QJsonArray::fromStringList(known)}};
    return v;
}

// The detail for missing and mistyped fields: "missing customer.id, total; wrong type: amount
// is a string, not a number".
QString fieldsDetail(const QStringList &missing, const QStringList &mistyped)
{
    QStringList parts;
    if (!missing.isEmpty())
        parts.append(u"missing required field%1 %2"_s.arg(missing.size() > 1 ? u"s"_s : QString(),
                                                          missing.join(u", "_s)));
    if (!mistyped.isEmpty())
        parts.append(u"wrong type: "_s + mistyped.join(u", "_s));
    return parts.join(u"; "_s);
}

std::optional<SchemaViolation> checkFields(const QString &type, const QString &version,
                                           const QList<store::SchemaField> &fields,
                                           const QByteArray &eventJson)
{
    const QJsonObject data =
        QJsonDocument::fromJson(eventJson).object().value("data"_L1).toObject();
    QStringList missing;
    QStringList mistyped;
    QJsonArray mistypedMembers;
    for (const store::SchemaField &f : fields) {
        const auto value = routing::fieldAt(data, f.path);
        if (!value || value->isNull()) {
            missing.append(f.path);
        } else if (!hasType(*value, f.type)) {
            mistyped.append(u"%1 is %2, not %3"_s.arg(f.path, jsonType(*value), f.type));
            mistypedMembers.append(QJsonObject{
                {u"path"_s, f.path}, {u"expected"_s, f.type}, {u"actual"_s, jsonType(*value)}});
        }
    }
    if (missing.isEmpty() && mistyped.isEmpty())
        return std::nullopt;
    SchemaViolation v;
    v.detail = u"event type '%1', schema version '%2': %3 (in the event's data); nothing was "
               "stored"_s.arg(type, version, fieldsDetail(missing, mistyped));
    v.members = {{u"event_type"_s, type},
                 {u"schema_version"_s, version},
                 {u"missing"_s, QJsonArray::fromStringList(missing)},
                 {u"mistyped"_s, mistypedMembers}};
    return v;
}

} // namespace

QHash<qint64, SchemaRegistry> registriesOf(const QList<store::EventSchema> &schemas)
{
    QHash<qint64, SchemaRegistry> out;
    for (const store::EventSchema &s : schemas)
        out[s.tenantId][s.eventType].insert(s.version, s.required);
    return out;
}

std::optional<SchemaViolation> checkSchema(const SchemaRegistry &registry, const QString &type,
                                           const QString &version, const QByteArray &eventJson)
{
    const auto versions = registry.constFind(type);
    if (versions == registry.constEnd())
        return std::nullopt; // not registered: passes
    const auto fields = versions->constFind(version);
    if (version.isEmpty() || fields == versions->constEnd())
        return unknownVersion(type, version, *versions);
    if (fields->isEmpty())
        return std::nullopt;
    return checkFields(type, version, *fields, eventJson);
}

} // namespace ferry::agent::ingest
