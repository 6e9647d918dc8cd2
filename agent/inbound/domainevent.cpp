#include "agent/inbound/domainevent.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::inbound {

namespace {

QString sourceOf(const store::InboxEntry &entry)
{
    const QString configured = entry.settings.value("event_source"_L1).toString();
    return configured.isEmpty() ? u"/inbound/"_s + entry.connector : configured;
}

QJsonObject base(const store::InboxEntry &entry, const QString &id, const QString &type)
{
    return {{u"specversion"_s, u"1.0"_s},
            {u"id"_s, id.isEmpty() ? u"inbox-%1"_s.arg(entry.id) : id},
            {u"source"_s, sourceOf(entry)},
            {u"type"_s, type},
            {u"datacontenttype"_s, u"application/json"_s}};
}

// Stripe: the whole event is the data; its customer, when it names one, is the partition key,
// so an ordered route sees one customer's events in order.
Result<QJsonObject> stripeEvent(const store::InboxEntry &entry, const QJsonObject &body)
{
    const QString id = body.value("id"_L1).toString();
    const QString type = body.value("type"_L1).toString();
    if (id.isEmpty() || type.isEmpty())
        return makeError(u"not a Stripe event: it needs an 'id' and a 'type'"_s);
    QJsonObject event = base(entry, id, type);
    event.insert(u"data"_s, body);
    if (const qint64 created = body.value("created"_L1).toInteger(); created > 0)
        event.insert(u"time"_s,
                     QDateTime::fromSecsSinceEpoch(created, Qt::UTC).toString(Qt::ISODate));
    const QJsonValue customer =
        body.value("data"_L1).toObject().value("object"_L1).toObject().value("customer"_L1);
    if (customer.isString() && !customer.toString().isEmpty())
        event.insert(u"partitionkey"_s, customer.toString());
    return event;
}

// Standard Webhooks: {"type", "timestamp", "data"}; the webhook-id is the event id.
Result<QJsonObject> standardEvent(const store::InboxEntry &entry, const QJsonObject &body)
{
    const QString type = body.value("type"_L1).toString();
    if (type.isEmpty())
        return makeError(u"a Standard Webhooks payload needs a 'type'"_s);
    QJsonObject event = base(entry, entry.providerEventId, type);
    event.insert(u"data"_s, body.contains("data"_L1) ? body.value("data"_L1) : QJsonValue(body));
    return event;
}

// Generic HMAC: the type from the connector's settings, else the body's own 'type'.
Result<QJsonObject> hmacEvent(const store::InboxEntry &entry, const QJsonObject &body)
{
    QString type = entry.settings.value("event_type"_L1).toString();
    if (type.isEmpty())
        type = body.value("type"_L1).toString();
    if (type.isEmpty())
        return makeError(u"no event type: the body has no 'type' and the connector sets no "
                         "'event_type'"_s);
    QJsonObject event = base(entry, entry.providerEventId, type);
    event.insert(u"data"_s, body);
    return event;
}

} // namespace

Result<QJsonObject> domainEvent(const store::InboxEntry &entry)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(entry.body, &error);
    if (!doc.isObject())
        return makeError(u"the body is not a JSON object (%1)"_s.arg(
            doc.isNull() ? error.errorString() : u"a JSON value of another type"_s));
    const QJsonObject body = doc.object();
    if (entry.kind == "stripe"_L1)
        return stripeEvent(entry, body);
    if (entry.kind == "standard-webhooks"_L1)
        return standardEvent(entry, body);
    if (entry.kind == "hmac"_L1)
        return hmacEvent(entry, body);
    return makeError(u"a %1 connector carries receipts, not events"_s.arg(entry.kind));
}

} // namespace ferry::agent::inbound
