#include "agent/inbound/receipts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::agent::inbound {

namespace {

QString formValue(const QUrlQuery &form, const char *name)
{
    return form.queryItemValue(QLatin1StringView(name), QUrl::FullyDecoded);
}

} // namespace

QString normalizedStatus(const QString &status)
{
    if (status == "queued"_L1 || status == "accepted"_L1 || status == "scheduled"_L1)
        return u"accepted"_s;
    if (status == "sending"_L1)
        return u"sent"_s;
    if (status == "canceled"_L1)
        return u"failed"_s;
    return status;
}

int statusRank(const QString &status)
{
    const QString s = normalizedStatus(status);
    if (s == "accepted"_L1)
        return 1;
    if (s == "sent"_L1)
        return 2;
    if (s == "delivered"_L1 || s == "undelivered"_L1 || s == "failed"_L1 || s == "bounced"_L1)
        return 3;
    if (s == "read"_L1)
        return 4;
    return 0;
}

Result<QList<store::Receipt>> twilioReceipts(const QByteArray &formBody)
{
    // Form encoding writes a space as '+'; QUrlQuery reads '+' as itself.
    QByteArray body = formBody;
    body.replace('+', ' ');
    const QUrlQuery form{QString::fromUtf8(body)};
    QString status = formValue(form, "MessageStatus");
    if (status.isEmpty())
        status = formValue(form, "SmsStatus");
    QString sid = formValue(form, "MessageSid");
    if (sid.isEmpty())
        sid = formValue(form, "SmsSid");
    if (status.isEmpty() && sid.isEmpty())
        return makeError(u"not a Twilio status callback: no MessageSid and no MessageStatus"_s);
    if (sid.isEmpty())
        return makeError(u"a Twilio status callback without MessageSid"_s);
    const int rank = statusRank(status);
    if (rank == 0) // "received", "receiving": a message to us, not a receipt
        return QList<store::Receipt>{};
    store::Receipt r{sid, normalizedStatus(status), rank, formValue(form, "ErrorCode"), {}, {}};
    bool ok = false;
    const double price = formValue(form, "Price").toDouble(&ok);
    if (ok) {
        r.cost = std::abs(price); // Twilio reports charges as negative amounts
        r.currency = formValue(form, "PriceUnit").toUpper();
    }
    return QList<store::Receipt>{r};
}

namespace {

store::Receipt whatsappReceipt(const QJsonObject &s)
{
    QString error;
    const QJsonArray errors = s.value("errors"_L1).toArray();
    if (!errors.isEmpty())
        error = QString::number(errors.first().toObject().value("code"_L1).toInteger());
    return {s.value("id"_L1).toString(),
            normalizedStatus(s.value("status"_L1).toString()),
            statusRank(s.value("status"_L1).toString()),
            error,
            {},
            {}};
}

} // namespace

Result<QList<store::Receipt>> whatsappReceipts(const QByteArray &jsonBody)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(jsonBody, &error);
    if (!doc.isObject())
        return makeError(u"not a WhatsApp webhook: the body is not a JSON object"_s);
    QList<store::Receipt> out;
    for (const QJsonValue &entry : doc.object().value("entry"_L1).toArray()) {
        for (const QJsonValue &change : entry.toObject().value("changes"_L1).toArray()) {
            const QJsonObject value = change.toObject().value("value"_L1).toObject();
            for (const QJsonValue &s : value.value("statuses"_L1).toArray()) {
                store::Receipt r = whatsappReceipt(s.toObject());
                if (r.providerMessageId.isEmpty() || r.rank == 0)
                    return makeError(u"a WhatsApp status without a message id or with an "
                                     "unknown status '%1'"_s.arg(r.status));
                out.append(r);
            }
        }
    }
    return out;
}

} // namespace ferry::agent::inbound
