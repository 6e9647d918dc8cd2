#include "agent/adapters/pushadapter.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {
const QString kProvider = u"fcm"_s;

QByteArray accountKey(const FcmAuth::ServiceAccount &a)
{
    return QCryptographicHash::hash(a.clientEmail.toUtf8() + '\n' + a.tokenUri.toUtf8() + '\n' +
                                        a.privateKeyPem,
                                    QCryptographicHash::Sha256);
}

QJsonObject stringValues(const QJsonObject &data)
{
    QJsonObject out; // FCM takes strings only
    for (auto it = data.constBegin(); it != data.constEnd(); ++it) {
        const QJsonValue v = it.value();
        if (v.isString())
            out.insert(it.key(), v);
        else if (v.isObject() || v.isArray())
            out.insert(
                it.key(),
                QString::fromUtf8(
                    QJsonDocument::fromVariant(v.toVariant()).toJson(QJsonDocument::Compact)));
        else if (!v.isNull())
            out.insert(it.key(), v.toVariant().toString());
    }
    return out;
}

QString fcmErrorCode(const QJsonObject &error)
{
    for (const QJsonValue &d : error.value("details"_L1).toArray()) {
        QString code = d.toObject().value("errorCode"_L1).toString();
        if (!code.isEmpty())
            return code;
    }
    return {};
}

bool namesToken(const QJsonObject &error)
{
    if (error.value("message"_L1).toString().contains("token"_L1, Qt::CaseInsensitive))
        return true;
    for (const QJsonValue &d : error.value("details"_L1).toArray()) {
        for (const QJsonValue &v : d.toObject().value("fieldViolations"_L1).toArray()) {
            if (v.toObject().value("field"_L1).toString() == "message.token"_L1)
                return true;
        }
    }
    return false;
}

// Whether FCM refused the access token (so a fresh one may work), not a third party's key.
bool accessTokenRefused(const HttpResponse &response)
{
    return response.ok() && response.status == 401 &&
           fcmErrorCode(jsonBody(response).value("error"_L1).toObject()) !=
               "THIRD_PARTY_AUTH_ERROR"_L1;
}
Outcome tokenFailure(const Error &error)
{
    Outcome r;
    r.error = error.message;
    r.kind = Outcome::Kind::Permanent;
    if (error.code == FcmAuth::kRefused) {
        r.reason = u"auth"_s;
    } else if (error.code == FcmAuth::kUnusableAccount) {
        r.reason = u"credential"_s;
    } else {
        r.kind = Outcome::Kind::Retryable;
        r.reason = u"token_unavailable"_s;
    }
    return r;
}
} // namespace

PushAdapter::PushAdapter(CurlMulti &multi, Options options)
    : HttpAdapter(multi, options.http)
    , m_clockMs(std::move(options.clockMs))
{}

qint64 PushAdapter::now() const
{
    return m_clockMs ? m_clockMs() : QDateTime::currentMSecsSinceEpoch();
}

QByteArray PushAdapter::requestBody(const Message &message)
{
    QJsonObject notification;
    if (!message.subject.isEmpty())
        notification.insert(u"title"_s, message.subject);
    if (!message.text.isEmpty())
        notification.insert(u"body"_s, message.text);
    QJsonObject m{{u"token"_s, message.to}};
    if (!notification.isEmpty())
        m.insert(u"notification"_s, notification);
    const QJsonObject data = stringValues(message.options.value("data"_L1).toObject());
    if (!data.isEmpty())
        m.insert(u"data"_s, data);
    for (const auto *field : {"android", "apns", "webpush", "fcm_options"}) {
        const QJsonValue v = message.options.value(QLatin1String(field));
        if (v.isObject())
            m.insert(QLatin1String(field), v);
    }
    return QJsonDocument(QJsonObject{{u"message"_s, m}}).toJson(QJsonDocument::Compact);
}

void PushAdapter::send(const Delivery &delivery)
{
    auto account = FcmAuth::serviceAccount(delivery.account.secret);
    if (!account) {
        reportLater(delivery.id,
                    credentialProblem(kProvider, delivery.account, account.error().message));
        return;
    }
    m_attempts.insert(delivery.id, Attempt{delivery, *account, accountKey(*account), false});
    use(delivery.id);
}

void PushAdapter::abandon(const QUuid &deliveryId)
{
    HttpAdapter::abandon(deliveryId);
    if (const auto attempt = m_attempts.take(deliveryId); !attempt.key.isEmpty())
        m_tokens[attempt.key].waiting.removeAll(deliveryId);
}

// Sends with the account's token when it has a usable one, else waits for one.
void PushAdapter::use(const QUuid &id)
{
    const Attempt &attempt = m_attempts[id];
    Token &token = m_tokens[attempt.key];
    const qint64 t = now();
    const bool usable = !token.accessToken.isEmpty() && t < token.usableUntilMs;
    if (usable)
        sendWith(attempt, token.accessToken);
    else
        token.waiting.append(id);
    if (!token.requesting && (!usable || t >= token.refreshAtMs))
        requestToken(attempt);
}

// `attempt` is a copy: onToken() may end it.
void PushAdapter::requestToken(Attempt attempt) // NOLINT(performance-unnecessary-value-param)
{
    const QByteArray key = attempt.key;
    const auto assertion = FcmAuth::assertion(attempt.account, QDateTime::currentSecsSinceEpoch());
    if (!assertion) {
        onToken(key, assertion.error());
        return;
    }
    m_tokens[key].requesting = true;
    HttpRequest request = baseRequest(attempt.delivery.guard);
    request.url = attempt.account.tokenUri;
    request.body = FcmAuth::tokenRequestBody(*assertion);
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"User-Agent", "ferry-agent/" FERRY_VERSION}};
    start(QUuid::createUuid(), request, [this, key](const HttpResponse &response) {
        onToken(key, FcmAuth::parseTokenAnswer(response));
    });
}

void PushAdapter::onToken(const QByteArray &key, const Result<FcmAuth::AccessToken> &answer)
{
    Token &token = m_tokens[key];
    token.requesting = false;
    const QList<QUuid> waiting = std::exchange(token.waiting, {});
    if (answer) {
        const qint64 lifetimeMs = std::max<qint64>(answer->expiresInS, 1) * 1000;
        const qint64 t = now();
        token.accessToken = answer->token;
        token.usableUntilMs = t + lifetimeMs - std::min<qint64>(60'000, lifetimeMs / 10);
        token.refreshAtMs = t + lifetimeMs - std::min<qint64>(300'000, lifetimeMs / 4);
    }
    for (const QUuid &id : waiting) {
        const auto it = m_attempts.constFind(id);
        if (it == m_attempts.constEnd())
            continue; // abandoned meanwhile
        if (answer) {
            sendWith(*it, token.accessToken);
            continue;
        }
        finish(id, tokenFailure(answer.error()), true);
    }
}

void PushAdapter::sendWith(const Attempt &attempt, const QByteArray &accessToken)
{
    const ProviderAccount &account = attempt.delivery.account;
    const QString base =
        account.baseUrl.isEmpty() ? u"https://fcm.googleapis.com"_s : account.baseUrl;
    HttpRequest request = baseRequest(attempt.delivery.guard);
    request.url = u"%1/v1/projects/%2/messages:send"_s.arg(
        base.endsWith(u'/') ? base.chopped(1) : base,
        QString::fromLatin1(QUrl::toPercentEncoding(attempt.account.projectId)));
    request.body = requestBody(attempt.delivery.message);
    request.headers = {{"Content-Type", "application/json"},
                       {"Authorization", "Bearer " + accessToken},
                       {"User-Agent", "ferry-agent/" FERRY_VERSION}};
    const QUuid id = attempt.delivery.id;
    start(id, request, [this, id, accessToken](const HttpResponse &response) {
        onSent(id, accessToken, response);
    });
}

void PushAdapter::onSent(const QUuid &id, const QByteArray &accessToken,
                         const HttpResponse &response)
{
    const auto it = m_attempts.find(id);
    if (it == m_attempts.end())
        return;
    if (accessTokenRefused(response) && !it->refreshedToken) {
        it->refreshedToken = true;
        Token &token = m_tokens[it->key];
        if (token.accessToken == accessToken)
            token.accessToken.clear(); // refused: the next send fetches a new one
        use(id);
        return;
    }
    finish(id, classify(response), false);
}

void PushAdapter::finish(const QUuid &id, const Outcome &outcome, bool later)
{
    m_attempts.remove(id);
    if (later)
        reportLater(id, outcome);
    else
        report(id, outcome);
}

Outcome PushAdapter::classify(const HttpResponse &response)
{
    if (!response.ok())
        return transportFailure(response, Outcome::Kind::Unknown);
    const QJsonObject body = jsonBody(response);
    if (response.success()) {
        return accepted(response, body.value("name"_L1).toString());
    }
    const QJsonObject error = body.value("error"_L1).toObject();
    const QString code = fcmErrorCode(error);
    const QString status = error.value("status"_L1).toString();
    const QString message = error.value("message"_L1).toString();
    Outcome r = httpRefusal(
        response, u"FCM"_s,
        status.isEmpty() ? QString() : u"%1 %2: %3"_s.arg(status, code, message).simplified());
    const bool deadToken =
        code == "UNREGISTERED"_L1 || code == "SENDER_ID_MISMATCH"_L1 ||
        (response.status == 400 && status == "INVALID_ARGUMENT"_L1 && namesToken(error));
    if (deadToken) {
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"invalid_token"_s;
        r.error = u"the device token is dead (FCM %1: %2); remove it from the app's records"_s.arg(
            code.isEmpty() ? status : code, message);
    } else if (response.status == 400) {
        r.reason = u"invalid_message"_s;
    } else if (r.reason == u"auth"_s) {
        r.error += u" (check the service account and that FCM is enabled in its project)"_s;
    }
    return r;
}

} // namespace ferry::agent::adapters
