#include "agent/api/resources/messagesresource.h"

#include "agent/api/apijson.h"
#include "agent/store/inbound/receiptstore.h"

#include <QJsonArray>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::messages {

namespace {

QJsonObject rowJson(const store::ReceiptRow &r)
{
    return {{u"delivery_id"_s, r.deliveryId},
            {u"channel"_s, r.channel},
            {u"provider_message_id"_s, r.providerMessageId},
            {u"status"_s, r.status},
            {u"error"_s, r.error.isEmpty() ? QJsonValue() : r.error},
            {u"receipts"_s, r.receipts},
            {u"accepted_at"_s, apijson::iso(r.acceptedAt)},
            {u"updated_at"_s, apijson::iso(r.updatedAt)},
            {u"cost"_s, r.cost ? QJsonValue(*r.cost) : QJsonValue()},
            {u"currency"_s, r.currency.isEmpty() ? QJsonValue() : r.currency},
            {u"cost_estimated"_s, r.estimated}};
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    if (auto bad = request.onlyParameters({u"limit"_s}))
        return *bad;
    auto limit = request.limit();
    if (!limit)
        return limit.error();
    auto rows = store::ReceiptStore(request.db).list(*tenantId, *limit);
    if (!rows)
        return request.storeError(rows.error());
    QJsonArray items;
    for (const store::ReceiptRow &r : *rows)
        items.append(rowJson(r));
    return ApiReply::json(QJsonObject{{u"items"_s, items}});
}

ApiReply putPrice(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    const QString channel = request.pathParameter(u"channel"_s);
    static const QStringList channels{u"sms"_s, u"whatsapp"_s, u"push"_s, u"email"_s};
    if (!channels.contains(channel))
        return ApiReply::notFound(u"prices are per message channel: sms, whatsapp, push, email"_s);
    const QJsonValue cost = request.body.value("unit_cost"_L1);
    if (!cost.isDouble() || cost.toDouble() < 0 || cost.toDouble() > 1e6)
        return ApiReply::invalidField(u"unit_cost"_s,
                                      u"what one message costs, a number from 0 to 1000000"_s);
    static const QRegularExpression iso4217(u"^[A-Z]{3}$"_s);
    const QString currency = request.body.value("currency"_L1).toString();
    if (!iso4217.match(currency).hasMatch())
        return ApiReply::invalidField(u"currency"_s, u"an ISO 4217 code such as USD or EUR"_s);
    auto r = store::ReceiptStore(request.db)
                 .setPrice(*tenantId, request.pathParameter(u"tenant"_s), channel, cost.toDouble(),
                           currency, request.actor());
    if (!r)
        return request.writeError(r.error());
    return ApiReply::json(QJsonObject{
        {u"channel"_s, channel}, {u"unit_cost"_s, cost.toDouble()}, {u"currency"_s, currency}});
}

} // namespace ferry::agent::api::messages
