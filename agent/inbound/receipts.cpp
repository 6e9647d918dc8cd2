#include "agent/inbound/receipts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cmath>
#include <optional>

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

namespace {

// The value of a "Name: value" line, or nothing.
std::optional<QString> headerValue(const QString &line, QLatin1StringView name)
{
    if (!line.startsWith(name, Qt::CaseInsensitive) || line.size() <= name.size() ||
        line[name.size()] != u':')
        return std::nullopt;
    return line.mid(name.size() + 1).trimmed();
}

struct DsnFields
{
    QString action;
    QString status;
    QString diagnostic;
    QString messageId; // of the returned message
};

DsnFields dsnFields(const QByteArray &message)
{
    DsnFields f;
    bool returned = false; // past the start of the returned message's headers
    const QStringList lines = QString::fromUtf8(message).split(u'\n');
    for (QString line : lines) {
        line = line.trimmed();
        if (auto v = headerValue(line, "Content-Type"_L1);
            v && (v->startsWith("text/rfc822-headers"_L1, Qt::CaseInsensitive) ||
                  v->startsWith("message/rfc822"_L1, Qt::CaseInsensitive)))
            returned = true;
        else if (auto a = headerValue(line, "Action"_L1); a && f.action.isEmpty())
            f.action = a->toLower();
        else if (auto st = headerValue(line, "Status"_L1); st && f.status.isEmpty())
            f.status = *st;
        else if (auto d = headerValue(line, "Diagnostic-Code"_L1); d && f.diagnostic.isEmpty())
            f.diagnostic = *d;
        else if (auto m = headerValue(line, "Message-ID"_L1);
                 m && returned && f.messageId.isEmpty())
            f.messageId = *m;
    }
    return f;
}

} // namespace

Result<QList<store::Receipt>> dsnReceipts(const QByteArray &message)
{
    const DsnFields f = dsnFields(message);
    if (f.action.isEmpty())
        return makeError(u"not a delivery status notification: no Action field"_s);
    if (f.action != "failed"_L1 && f.action != "delivered"_L1)
        return QList<store::Receipt>{};
    if (f.messageId.isEmpty())
        return makeError(u"a delivery status notification without the returned message's "
                         "Message-ID: it cannot be matched to a message"_s);
    const QString status = f.action == "failed"_L1 ? u"bounced"_s : u"delivered"_s;
    const QString error = (f.status + u' ' + f.diagnostic).trimmed();
    return QList<store::Receipt>{{f.messageId, status, 3, error, {}, {}}};
}

} // namespace ferry::agent::inbound
