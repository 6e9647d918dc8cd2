#include "twilio.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::sim {

namespace {

const QRegularExpression kCreatePath(u"^/2010-04-01/Accounts/([^/]+)/Messages\\.json$"_s);
const QRegularExpression kFetchPath(u"^/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)\\.json$"_s);
const QRegularExpression kE164(u"^\\+[1-9][0-9]{6,14}$"_s);

QString rfc2822(const QDateTime &time)
{
    return QLocale::c().toString(time.toUTC(), u"ddd, dd MMM yyyy hh:mm:ss +0000"_s);
}

int segments(const QString &body)
{
    const bool gsm =
        std::all_of(body.cbegin(), body.cend(), [](QChar c) { return c.unicode() < 128; });
    const int single = gsm ? 160 : 70;
    const int part = gsm ? 153 : 67;
    if (body.size() <= single)
        return 1;
    return int((body.size() + part - 1) / part);
}

int rank(const QString &status)
{
    if (status == "sent"_L1)
        return 2;
    if (status == "delivered"_L1 || status == "undelivered"_L1 || status == "failed"_L1)
        return 3;
    return 0;
}

QString errorMessage(int code)
{
    switch (code) {
    case 30003:
        return u"Unreachable destination handset"_s;
    case 30008:
        return u"Unknown error"_s;
    default:
        return {};
    }
}

QString field(const QList<QPair<QString, QString>> &form, QLatin1StringView name)
{
    for (const auto &[key, value] : form) {
        if (key == name)
            return value;
    }
    return {};
}

// A new message resource as the create request answers it.
QJsonObject resource(const QString &accountSid, const QString &sid,
                     const QList<QPair<QString, QString>> &form)
{
    const QString from = field(form, "From"_L1), service = field(form, "MessagingServiceSid"_L1);
    const QString body = field(form, "Body"_L1);
    const QString now = rfc2822(QDateTime::currentDateTimeUtc());
    const QString uri = u"/2010-04-01/Accounts/%1/Messages/%2"_s.arg(accountSid, sid);
    const auto orNull = [](const QString &v) { return v.isEmpty() ? QJsonValue() : QJsonValue(v); };
    return {{u"account_sid"_s, accountSid},
            {u"api_version"_s, u"2010-04-01"_s},
            {u"body"_s, body},
            {u"date_created"_s, now},
            {u"date_sent"_s, QJsonValue()},
            {u"date_updated"_s, now},
            {u"direction"_s, u"outbound-api"_s},
            {u"error_code"_s, QJsonValue()},
            {u"error_message"_s, QJsonValue()},
            {u"from"_s, orNull(from)},
            {u"messaging_service_sid"_s, orNull(service)},
            {u"num_media"_s, u"0"_s},
            {u"num_segments"_s, QString::number(segments(body))},
            {u"price"_s, QJsonValue()},
            {u"price_unit"_s, u"USD"_s},
            {u"sid"_s, sid},
            {u"status"_s, from.isEmpty() ? u"accepted"_s : u"queued"_s},
            {u"subresource_uris"_s, QJsonObject{{u"media"_s, uri + u"/Media.json"_s}}},
            {u"to"_s, field(form, "To"_L1)},
            {u"uri"_s, uri + u".json"_s}};
}

} // namespace

Twilio::Twilio(quint64 seed, CallbackSender &callbacks)
    : Provider(u"twilio"_s, seed, callbacks)
{}

bool Twilio::owns(const SimRequest &request) const
{
    return request.path.startsWith("/2010-04-01/"_L1);
}

std::optional<Answer> Twilio::authenticate(const SimRequest &request)
{
    const auto match = request.path.section(u'/', 3, 3);
    const QByteArray auth = request.header("authorization");
    const QList<QByteArray> userPass =
        auth.startsWith("Basic ") ? QByteArray::fromBase64(auth.mid(6).trimmed()).split(':')
                                  : QList<QByteArray>();
    const bool ok =
        userPass.size() == 2 && QString::fromUtf8(userPass[0]) == match && !userPass[1].isEmpty() &&
        (m_accounts.isEmpty() || m_accounts.value(match) == QString::fromUtf8(userPass[1]));
    if (ok) {
        m_tokensSeen.insert(match, QString::fromUtf8(userPass[1]));
        return std::nullopt;
    }
    stats().authFailure();
    Answer answer = error(401, 20003, u"Authenticate"_s);
    answer.headers.append(
        {QByteArray("WWW-Authenticate"), QByteArray(R"(Basic realm="Twilio API")")});
    return answer;
}

Answer Twilio::handle(const SimRequest &request)
{
    if (const auto m = kCreatePath.match(request.path); m.hasMatch() && request.method == "POST")
        return create(m.captured(1), request);
    if (const auto m = kFetchPath.match(request.path); m.hasMatch() && request.method == "GET")
        return fetch(m.captured(1), m.captured(2));
    return error(404, 20404, u"The requested resource %1 was not found"_s.arg(request.path));
}

Answer Twilio::error(int status, int code, const QString &message)
{
    const QJsonObject body{{u"code"_s, code},
                           {u"message"_s, message},
                           {u"more_info"_s, u"https://www.twilio.com/docs/errors/%1"_s.arg(code)},
                           {u"status"_s, status}};
    return Answer::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Answer Twilio::serverError(int status) const
{
    if (status == 503)
        return error(503, 20503, u"Service Unavailable"_s);
    return error(status, 20500, u"An internal server error has occurred"_s);
}

Answer Twilio::throttled(int retryAfterS) const
{
    Answer answer = error(429, 20429, u"Too Many Requests"_s);
    answer.headers.append({"Retry-After", QByteArray::number(retryAfterS)});
    return answer;
}

std::optional<Answer> Twilio::validate(const QList<QPair<QString, QString>> &form)
{
    const QString to = field(form, "To"_L1), body = field(form, "Body"_L1);
    const auto refuse = [this](const QString &kind, int code, const QString &message) {
        stats().reject(kind);
        return error(400, code, message);
    };
    if (to.isEmpty())
        return refuse(u"missing_to"_s, 21604, u"A 'To' phone number is required."_s);
    if (!kE164.match(to).hasMatch() || to.startsWith("+1555000"_L1))
        return refuse(u"invalid_to"_s, 21211, u"Invalid 'To' Phone Number: %1"_s.arg(to));
    if (field(form, "From"_L1).isEmpty() && field(form, "MessagingServiceSid"_L1).isEmpty())
        return refuse(u"missing_from"_s, 21603, u"A 'From' phone number is required."_s);
    if (body.isEmpty())
        return refuse(u"missing_body"_s, 21602, u"Message body is required."_s);
    if (body.size() > 1600)
        return refuse(u"body_too_long"_s, 21617,
                      u"The concatenated message body exceeds the 1600 character limit."_s);
    return std::nullopt;
}

Answer Twilio::create(const QString &accountSid, const SimRequest &request)
{
    const auto form = decodeForm(request.body);
    if (auto refusal = validate(form))
        return *refusal;
    const QString sid = u"SM"_s + randomHex(16);
    const QJsonObject message = resource(accountSid, sid, form);
    m_messages.insert(sid, message);
    m_order.enqueue(sid);
    if (m_order.size() > messageLimit())
        m_messages.remove(m_order.dequeue());
    stats().accept({sid,
                    message.value("to"_L1).toString(),
                    message.value("body"_L1).toString(),
                    {},
                    request.idempotencyKey(),
                    QDateTime::currentMSecsSinceEpoch(),
                    message.value("status"_L1).toString()});
    const QString callback = m_callbackOverride.isValid() ? m_callbackOverride.toString()
                                                          : field(form, "StatusCallback"_L1);
    scheduleStatuses(sid, callback);
    return Answer::json(201, QJsonDocument(message).toJson(QJsonDocument::Compact));
}

Answer Twilio::fetch(const QString &accountSid, const QString &messageSid) const
{
    const auto it = m_messages.constFind(messageSid);
    if (it == m_messages.constEnd() || it->value("account_sid"_L1).toString() != accountSid)
        return error(404, 20404,
                     u"The requested resource /2010-04-01/Accounts/%1/Messages/%2.json was not "
                     "found"_s.arg(accountSid, messageSid));
    return Answer::json(200, QJsonDocument(*it).toJson(QJsonDocument::Compact));
}

void Twilio::scheduleStatuses(const QString &sid, const QString &callbackUrl)
{
    const QString to = m_messages.value(sid).value("to"_L1).toString();
    QList<Step> steps{{u"sent"_s}, {u"delivered"_s}};
    if (to.startsWith("+1555999"_L1))
        steps = {{u"sent"_s}, {u"undelivered"_s, 30003}};
    else if (to.startsWith("+1555998"_L1))
        steps = {{u"failed"_s, 30008}};
    QList<std::function<void()>> calls;
    for (const Step &step : steps)
        calls.append([this, sid, step, callbackUrl] { applyStep(sid, step, callbackUrl); });
    callbacks().schedule(calls, knobs(), faultRng());
}

void Twilio::applyStep(const QString &sid, const Step &step, const QString &callbackUrl)
{
    auto it = m_messages.find(sid);
    if (it == m_messages.end())
        return;
    QJsonObject &message = *it;
    if (rank(step.status) > rank(message.value("status"_L1).toString())) {
        const QString now = rfc2822(QDateTime::currentDateTimeUtc());
        message.insert(u"status"_s, step.status);
        message.insert(u"date_updated"_s, now);
        if (step.status != "failed"_L1) {
            message.insert(u"date_sent"_s, now);
            const int parts = message.value("num_segments"_L1).toString().toInt();
            message.insert(u"price"_s, QString::number(-0.0075 * parts, 'f', 5));
        }
        if (step.errorCode != 0) {
            message.insert(u"error_code"_s, step.errorCode);
            message.insert(u"error_message"_s, errorMessage(step.errorCode));
        }
        stats().setStatus(sid, step.status);
    }
    QJsonObject snapshot = message;
    snapshot.insert(u"status"_s, step.status);
    snapshot.insert(u"error_code"_s, step.errorCode ? QJsonValue(step.errorCode) : QJsonValue());
    if (!callbackUrl.isEmpty())
        sendCallback(snapshot, callbackUrl);
}

void Twilio::sendCallback(const QJsonObject &message, const QString &callbackUrl)
{
    const auto text = [&](const char *name) {
        return message.value(QLatin1StringView(name)).toString();
    };
    QList<QPair<QString, QString>> params{{u"SmsSid"_s, text("sid")},
                                          {u"SmsStatus"_s, text("status")},
                                          {u"MessageStatus"_s, text("status")},
                                          {u"To"_s, text("to")},
                                          {u"MessageSid"_s, text("sid")},
                                          {u"AccountSid"_s, text("account_sid")},
                                          {u"From"_s, text("from")},
                                          {u"ApiVersion"_s, u"2010-04-01"_s}};
    if (!text("messaging_service_sid").isEmpty())
        params.append({u"MessagingServiceSid"_s, text("messaging_service_sid")});
    if (message.value("error_code"_L1).isDouble())
        params.append({u"ErrorCode"_s, QString::number(message.value("error_code"_L1).toInt())});
    const QString account = text("account_sid");
    const QByteArray token = m_tokensSeen.value(account).toUtf8();
    // The same status callback, sent again, carries the same token (as Twilio's retries do).
    const QByteArray idempotency =
        QCryptographicHash::hash((text("sid") + text("status")).toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(32);
    const QByteArray signatureValue = signature(token, callbackUrl, params);
    callbacks().post(
        QUrl(callbackUrl), "application/x-www-form-urlencoded", encodeForm(params),
        {{"X-Twilio-Signature", signatureValue}, {"I-Twilio-Idempotency-Token", idempotency}},
        [this](bool ok) { stats().callbackSent(ok); });
}

QByteArray Twilio::signature(const QByteArray &authToken, const QString &url,
                             QList<QPair<QString, QString>> params)
{
    std::stable_sort(params.begin(), params.end(), [](const auto &a, const auto &b) {
        return a.first.toUtf8() < b.first.toUtf8();
    });
    QByteArray data = url.toUtf8();
    for (const auto &[name, value] : params)
        data += name.toUtf8() + value.toUtf8();
    return QMessageAuthenticationCode::hash(data, authToken, QCryptographicHash::Sha1).toBase64();
}

void Twilio::reset()
{
    Provider::reset();
    m_messages.clear();
    m_order.clear();
}

} // namespace ferry::sim
