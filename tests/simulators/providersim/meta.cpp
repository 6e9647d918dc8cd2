#include "meta.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::sim {

namespace {

const QRegularExpression kSendPath(u"^/(v[0-9]+\\.[0-9]+)/([0-9]+)/messages$"_s);

QString fbtraceId()
{
    QByteArray bytes(20, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString nowSeconds()
{
    return QString::number(QDateTime::currentSecsSinceEpoch());
}

} // namespace

Meta::Meta(quint64 seed, CallbackSender &callbacks)
    : Provider(u"meta"_s, seed, callbacks)
{}

bool Meta::owns(const SimRequest &request) const
{
    return kSendPath.match(request.path).hasMatch();
}

std::optional<Answer> Meta::authenticate(const SimRequest &request)
{
    const QByteArray token = request.bearerToken();
    if (!token.isEmpty() && (m_tokens.isEmpty() || m_tokens.contains(token)))
        return std::nullopt;
    stats().authFailure();
    return error(401, 190, u"Invalid OAuth access token - Cannot parse access token"_s);
}

Answer Meta::error(int status, int code, const QString &message, const QString &details) const
{
    // Meta prefixes the code to every message but those of OAuth errors (code 190).
    const QString text = code == 190 ? message : u"(#%1) %2"_s.arg(code).arg(message);
    QJsonObject object{{u"message"_s, text},
                       {u"type"_s, u"OAuthException"_s},
                       {u"code"_s, code},
                       {u"fbtrace_id"_s, fbtraceId()}};
    if (!details.isEmpty())
        object.insert(u"error_data"_s, QJsonObject{{u"messaging_product"_s, u"whatsapp"_s},
                                                   {u"details"_s, details}});
    return Answer::json(
        status, QJsonDocument(QJsonObject{{u"error"_s, object}}).toJson(QJsonDocument::Compact));
}

Answer Meta::serverError(int status) const
{
    if (status == 503)
        return error(503, 2, u"Service temporarily unavailable"_s);
    return error(status, 131000, u"Something went wrong"_s,
                 u"Message failed to send due to an unknown error."_s);
}

Answer Meta::throttled(int retryAfterS) const
{
    Answer answer = error(429, 130429, u"Rate limit hit"_s,
                          u"Cloud API message throughput has been reached."_s);
    answer.headers.append({"Retry-After", QByteArray::number(retryAfterS)});
    return answer;
}

std::optional<Answer> Meta::validate(const QJsonObject &body)
{
    const auto invalid = [this](const QString &details) {
        stats().reject(u"invalid_parameter"_s);
        return error(400, 100, u"Invalid parameter"_s, details);
    };
    if (body.value("messaging_product"_L1).toString() != "whatsapp"_L1)
        return invalid(u"The parameter messaging_product is required."_s);
    static const QRegularExpression phone(u"^\\+?[0-9]{6,15}$"_s);
    if (!phone.match(body.value("to"_L1).toString()).hasMatch())
        return invalid(u"The parameter to is required and must be a phone number."_s);
    const QString type = body.value("type"_L1).toString(u"text"_s);
    if (type == "text"_L1) {
        if (body.value("text"_L1).toObject().value("body"_L1).toString().isEmpty())
            return invalid(u"The parameter text['body'] is required."_s);
    } else if (type == "template"_L1) {
        const QJsonObject t = body.value("template"_L1).toObject();
        if (t.value("name"_L1).toString().isEmpty())
            return invalid(u"The parameter template['name'] is required."_s);
        if (t.value("language"_L1).toObject().value("code"_L1).toString().isEmpty())
            return invalid(u"The parameter template['language']['code'] is required."_s);
    } else {
        return invalid(u"The parameter type must be text or template."_s);
    }
    return std::nullopt;
}

std::optional<Answer> Meta::refuseRecipient(const QString &waId, bool isText)
{
    if (waId.startsWith("1555000"_L1)) {
        stats().reject(u"undeliverable"_s);
        return error(400, 131026, u"Message Undeliverable."_s,
                     u"Message failed to send because the recipient is not a WhatsApp user."_s);
    }
    if (waId.startsWith("1555888"_L1) && isText) {
        stats().reject(u"reengagement"_s);
        return error(400, 131047, u"Re-engagement message"_s,
                     u"Message failed to send because more than 24 hours have passed since the "
                     "customer last replied to this number."_s);
    }
    if (waId.startsWith("1555777"_L1)) {
        stats().reject(u"pair_rate_limit"_s);
        Answer answer =
            error(429, 131056, u"(Business Account, Consumer Account) pair rate limit hit"_s,
                  u"Message failed to send because there were too many messages sent from this "
                  "phone number to the same phone number in a short period of time."_s);
        answer.headers.append({"Retry-After", QByteArray::number(int(knobs().retryAfterS))});
        return answer;
    }
    return std::nullopt;
}

Answer Meta::handle(const SimRequest &request)
{
    if (request.method != "POST")
        return error(400, 100, u"Unsupported get request."_s);
    QJsonParseError parseError;
    const QJsonObject body = QJsonDocument::fromJson(request.body, &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        stats().reject(u"invalid_parameter"_s);
        return error(400, 100, u"Invalid parameter"_s, u"The request body is not JSON."_s);
    }
    if (auto refusal = validate(body))
        return *refusal;
    QString waId = body.value("to"_L1).toString();
    waId.remove(u'+');
    const bool isText = body.value("type"_L1).toString(u"text"_s) == "text"_L1;
    if (auto refusal = refuseRecipient(waId, isText))
        return *refusal;
    const Sent sent{u"wamid.HBgL"_s + QString::fromLatin1(randomBytes(30).toBase64()), waId,
                    kSendPath.match(request.path).captured(2),
                    isText ? u"service"_s : u"utility"_s};
    const QJsonObject t = body.value("template"_L1).toObject();
    stats().accept({sent.id,
                    waId,
                    isText ? body.value("text"_L1).toObject().value("body"_L1).toString()
                           : t.value("name"_L1).toString(),
                    {},
                    request.idempotencyKey(),
                    QDateTime::currentMSecsSinceEpoch(),
                    u"accepted"_s});
    scheduleStatuses(sent);
    const QJsonObject answer{
        {u"messaging_product"_s, u"whatsapp"_s},
        {u"contacts"_s,
         QJsonArray{QJsonObject{{u"input"_s, body.value("to"_L1)}, {u"wa_id"_s, waId}}}},
        {u"messages"_s, QJsonArray{QJsonObject{{u"id"_s, sent.id}}}}};
    return Answer::json(200, QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

void Meta::scheduleStatuses(const Sent &sent)
{
    QList<QPair<QString, int>> steps{{u"sent"_s, 0}, {u"delivered"_s, 0}, {u"read"_s, 0}};
    if (sent.waId.startsWith("1555999"_L1))
        steps = {{u"sent"_s, 0}, {u"failed"_s, 131026}};
    QList<std::function<void()>> calls;
    for (const auto &[status, code] : steps)
        calls.append([this, sent, status, code] { sendStatus(sent, status, code); });
    callbacks().schedule(calls, knobs(), faultRng());
}

QJsonObject Meta::statusObject(const Sent &sent, const QString &status, int errorCode) const
{
    QJsonObject object{{u"id"_s, sent.id},
                       {u"status"_s, status},
                       {u"timestamp"_s, nowSeconds()},
                       {u"recipient_id"_s, sent.waId}};
    if (errorCode != 0) {
        object.insert(
            u"errors"_s,
            QJsonArray{QJsonObject{
                {u"code"_s, errorCode},
                {u"title"_s, u"Message undeliverable"_s},
                {u"message"_s, u"Message undeliverable"_s},
                {u"error_data"_s, QJsonObject{{u"details"_s, u"Message Undeliverable."_s}}}}});
        return object;
    }
    object.insert(u"conversation"_s,
                  QJsonObject{{u"id"_s, sent.id.right(32)},
                              {u"origin"_s, QJsonObject{{u"type"_s, sent.category}}}});
    object.insert(u"pricing"_s, QJsonObject{{u"billable"_s, true},
                                            {u"pricing_model"_s, u"CBP"_s},
                                            {u"category"_s, sent.category}});
    return object;
}

void Meta::sendStatus(const Sent &sent, const QString &status, int errorCode)
{
    static const QStringList order{u"accepted"_s, u"sent"_s, u"delivered"_s, u"read"_s};
    // The message's true state only moves forward: a failed message stays failed, whatever
    // order its callbacks go out in.
    const QString current = stats().status(sent.id);
    if (current != "failed"_L1 &&
        (status == "failed"_L1 || order.indexOf(status) > order.indexOf(current)))
        stats().setStatus(sent.id, status);
    if (!m_callback.isValid())
        return;
    const QJsonObject value{
        {u"messaging_product"_s, u"whatsapp"_s},
        {u"metadata"_s, QJsonObject{{u"display_phone_number"_s, u"15550001234"_s},
                                    {u"phone_number_id"_s, sent.phoneNumberId}}},
        {u"statuses"_s, QJsonArray{statusObject(sent, status, errorCode)}}};
    const QJsonObject payload{
        {u"object"_s, u"whatsapp_business_account"_s},
        {u"entry"_s,
         QJsonArray{QJsonObject{{u"id"_s, m_wabaId},
                                {u"changes"_s, QJsonArray{QJsonObject{{u"field"_s, u"messages"_s},
                                                                      {u"value"_s, value}}}}}}}};
    const QByteArray body = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    CallbackSender::Headers headers;
    if (!m_appSecret.isEmpty())
        headers.append({"X-Hub-Signature-256", signature(m_appSecret, body)});
    callbacks().post(m_callback, "application/json", body, headers,
                     [this](bool ok) { stats().callbackSent(ok); });
}

QByteArray Meta::signature(const QByteArray &appSecret, const QByteArray &body)
{
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, appSecret, QCryptographicHash::Sha256).toHex();
}

} // namespace ferry::sim
