#include "fcm.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace ferry::sim {

namespace {

const QRegularExpression kSendPath(u"^/v1/projects/([^/]+)/messages:send$"_s);
constexpr auto kGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"_L1;
constexpr auto kScope = "https://www.googleapis.com/auth/firebase.messaging"_L1;

Answer oauthError(const QString &error, const QString &description)
{
    return Answer::json(
        400, QJsonDocument(QJsonObject{{u"error"_s, error}, {u"error_description"_s, description}})
                 .toJson(QJsonDocument::Compact));
}

QJsonObject jwtPart(const QByteArray &part)
{
    return QJsonDocument::fromJson(QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding |
                                                                    QByteArray::OmitTrailingEquals))
        .object();
}

QString formValue(const QByteArray &body, QLatin1StringView name)
{
    for (const auto &[key, value] : decodeForm(body)) {
        if (key == name)
            return value;
    }
    return {};
}

} // namespace

Fcm::Fcm(quint64 seed, CallbackSender &callbacks)
    : Provider(u"fcm"_s, seed, callbacks)
{}

Result<bool> Fcm::writeServiceAccount(const QString &path, const QString &projectId,
                                      const QString &tokenUri)
{
    auto key = RsaKey::generate();
    if (!key)
        return key.error();
    const QString email = u"ferry-sim@%1.iam.gserviceaccount.com"_s.arg(projectId);
    const QJsonObject json{
        {u"type"_s, u"service_account"_s},
        {u"project_id"_s, projectId},
        {u"private_key_id"_s, randomHex(20)},
        {u"private_key"_s, QString::fromLatin1(key->privatePem())},
        {u"client_email"_s, email},
        {u"client_id"_s,
         QString::number(100000000000000000ULL + randomHex(7).toULongLong(nullptr, 16))},
        {u"auth_uri"_s, u"https://accounts.google.com/o/oauth2/auth"_s},
        {u"token_uri"_s, tokenUri},
        {u"auth_provider_x509_cert_url"_s, u"https://www.googleapis.com/oauth2/v1/certs"_s},
        {u"client_x509_cert_url"_s, u"https://www.googleapis.com/robot/v1/metadata/x509/"_s +
                                        QString::fromLatin1(QUrl::toPercentEncoding(email))},
        {u"universe_domain"_s, u"googleapis.com"_s}};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0 || !file.commit())
        return makeError(u"cannot write the FCM service account to %1"_s.arg(path));
    return trust(json);
}

Result<bool> Fcm::loadServiceAccount(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"cannot read the FCM service account %1"_s.arg(path));
    return trust(QJsonDocument::fromJson(file.readAll()).object());
}

Result<bool> Fcm::trust(const QJsonObject &serviceAccount)
{
    auto key = RsaKey::fromPrivatePem(serviceAccount.value("private_key"_L1).toString().toLatin1());
    if (!key)
        return key.error();
    m_accounts.insert(serviceAccount.value("client_email"_L1).toString(),
                      Account{serviceAccount.value("project_id"_L1).toString(),
                              serviceAccount.value("private_key_id"_L1).toString(),
                              serviceAccount.value("token_uri"_L1).toString(), key.value()});
    return true;
}

bool Fcm::owns(const SimRequest &request) const
{
    return request.path == "/token"_L1 || request.path.startsWith("/v1/projects/"_L1);
}

bool Fcm::faultsApply(const SimRequest &request) const
{
    return request.path != "/token"_L1;
}

std::optional<Answer> Fcm::authenticate(const SimRequest &request)
{
    if (request.path == "/token"_L1)
        return std::nullopt; // the assertion is the credential
    const auto it = m_tokens.constFind(request.bearerToken());
    if (it != m_tokens.constEnd() && it->expiresAtMs > QDateTime::currentMSecsSinceEpoch())
        return std::nullopt;
    stats().authFailure();
    return error(401, u"UNAUTHENTICATED"_s,
                 u"Request had invalid authentication credentials. Expected OAuth 2 access "
                 "token, login cookie or other valid authentication credential. See "
                 "https://developers.google.com/identity/sign-in/web/devconsole-project."_s);
}

Answer Fcm::error(int status, const QString &grpcStatus, const QString &message,
                  const QString &fcmErrorCode)
{
    QJsonObject object{{u"code"_s, status}, {u"message"_s, message}, {u"status"_s, grpcStatus}};
    if (!fcmErrorCode.isEmpty())
        object.insert(u"details"_s,
                      QJsonArray{QJsonObject{
                          {u"@type"_s, u"type.googleapis.com/google.firebase.fcm.v1.FcmError"_s},
                          {u"errorCode"_s, fcmErrorCode}}});
    return Answer::json(
        status, QJsonDocument(QJsonObject{{u"error"_s, object}}).toJson(QJsonDocument::Compact));
}

Answer Fcm::serverError(int status) const
{
    if (status == 503)
        return error(503, u"UNAVAILABLE"_s, u"The service is currently unavailable."_s,
                     u"UNAVAILABLE"_s);
    return error(status, u"INTERNAL"_s, u"Internal error encountered."_s, u"INTERNAL"_s);
}

Answer Fcm::throttled(int retryAfterS) const
{
    Answer answer = error(429, u"RESOURCE_EXHAUSTED"_s,
                          u"Quota exceeded for quota metric 'Send requests' and limit 'Send "
                          "requests per minute' of service 'fcm.googleapis.com'."_s,
                          u"QUOTA_EXCEEDED"_s);
    answer.headers.append({"Retry-After", QByteArray::number(retryAfterS)});
    return answer;
}

Answer Fcm::handle(const SimRequest &request)
{
    if (request.path == "/token"_L1 && request.method == "POST")
        return issueToken(request);
    const auto match = kSendPath.match(request.path);
    if (match.hasMatch() && request.method == "POST")
        return send(match.captured(1), request);
    return error(404, u"NOT_FOUND"_s, u"Method not found."_s);
}

Result<const Fcm::Account *> Fcm::verifyAssertion(const QByteArray &jwt) const
{
    const QList<QByteArray> parts = jwt.split('.');
    if (parts.size() != 3)
        return makeError(u"Invalid JWT: the assertion is not header.claims.signature"_s);
    const QJsonObject header = jwtPart(parts[0]), claims = jwtPart(parts[1]);
    if (header.value("alg"_L1).toString() != "RS256"_L1)
        return makeError(u"Invalid JWT: the algorithm must be RS256"_s);
    const auto it = m_accounts.constFind(claims.value("iss"_L1).toString());
    if (it == m_accounts.constEnd())
        return makeError(u"Invalid grant: account not found"_s);
    const QJsonValue kid = header.value("kid"_L1);
    const QByteArray signature = QByteArray::fromBase64(
        parts[2], QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if ((!kid.isUndefined() && kid.toString() != it->privateKeyId) ||
        !it->key.verifyRs256(parts[0] + '.' + parts[1], signature))
        return makeError(u"Invalid JWT Signature."_s);
    if (claims.value("aud"_L1).toString() != it->tokenUri)
        return makeError(
            u"Invalid JWT: Failed audience check. The right audience is %1"_s.arg(it->tokenUri));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 iat = claims.value("iat"_L1).toInteger(), exp = claims.value("exp"_L1).toInteger();
    if (exp <= now || iat > now + 300 || exp - iat > 3600 || iat < now - 3600)
        return makeError(u"Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                         "reasonable timeframe. Check your iat and exp values in the JWT claim."_s);
    if (!claims.value("scope"_L1).toString().split(u' ').contains(kScope))
        return makeError(u"scope"_s, 1);
    return &it.value();
}

Answer Fcm::issueToken(const SimRequest &request)
{
    const QString grant = formValue(request.body, "grant_type"_L1);
    if (grant != kGrantType) {
        stats().reject(u"unsupported_grant_type"_s);
        return oauthError(u"unsupported_grant_type"_s, u"Invalid grant_type: %1"_s.arg(grant));
    }
    const auto account = verifyAssertion(formValue(request.body, "assertion"_L1).toLatin1());
    if (!account) {
        stats().authFailure();
        if (account.error().code == 1)
            return oauthError(u"invalid_scope"_s, u"The scope must include %1."_s.arg(kScope));
        return oauthError(u"invalid_grant"_s, account.error().message);
    }
    const QByteArray token = "ya29.sim." + randomHex(32).toLatin1();
    const qint64 lifetime = qint64(knobs().tokenLifetimeS);
    m_tokens.insert(token, Token{QDateTime::currentMSecsSinceEpoch() + lifetime * 1000,
                                 account.value()->projectId});
    stats().tokenIssued();
    const QJsonObject answer{{u"access_token"_s, QString::fromLatin1(token)},
                             {u"expires_in"_s, lifetime},
                             {u"token_type"_s, u"Bearer"_s}};
    return Answer::json(200, QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

std::optional<Answer> Fcm::validate(const QJsonObject &message)
{
    const auto invalid = [this](const QString &why) {
        stats().reject(u"invalid_argument"_s);
        return error(400, u"INVALID_ARGUMENT"_s, why, u"INVALID_ARGUMENT"_s);
    };
    if (message.isEmpty())
        return invalid(u"Request contains an invalid argument: message is required."_s);
    const int targets = int(message.contains("token"_L1)) + int(message.contains("topic"_L1)) +
                        int(message.contains("condition"_L1));
    if (targets != 1)
        return invalid(u"Exactly one of message.token, message.topic or message.condition must "
                       "be set."_s);
    const QJsonValue notification = message.value("notification"_L1);
    if (!notification.isUndefined() && !notification.isObject())
        return invalid(u"Invalid value at 'message.notification'."_s);
    const QJsonObject data = message.value("data"_L1).toObject();
    for (auto it = data.constBegin(); it != data.constEnd(); ++it) {
        if (!it.value().isString())
            return invalid(
                u"Invalid value at 'message.data[%1].value' (TYPE_STRING)."_s.arg(it.key()));
    }
    return std::nullopt;
}

Answer Fcm::send(const QString &project, const SimRequest &request)
{
    if (m_tokens.value(request.bearerToken()).projectId != project) {
        stats().reject(u"permission_denied"_s);
        return error(
            403, u"PERMISSION_DENIED"_s,
            u"Permission 'cloudmessaging.messages.create' denied on resource "
            "'//cloudresourcemanager.googleapis.com/projects/%1' (or it may not exist)."_s.arg(
                project));
    }
    QJsonParseError parseError;
    const QJsonObject body = QJsonDocument::fromJson(request.body, &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return *validate({});
    const QJsonObject message = body.value("message"_L1).toObject();
    if (auto refusal = validate(message))
        return *refusal;
    const QString token = message.value("token"_L1).toString();
    if (token.startsWith("invalid"_L1)) {
        stats().reject(u"unregistered"_s);
        return error(404, u"NOT_FOUND"_s, u"Requested entity was not found."_s, u"UNREGISTERED"_s);
    }
    if (body.value("validate_only"_L1).toBool())
        return Answer::json(
            200, u"{\"name\":\"projects/%1/messages/fake_message_id\"}"_s.arg(project).toUtf8());
    const QString name = u"projects/%1/messages/0:%2%%3"_s.arg(project)
                             .arg(QDateTime::currentMSecsSinceEpoch())
                             .arg(randomHex(8));
    const QJsonObject notification = message.value("notification"_L1).toObject();
    const QString to = token.isEmpty() ? message.contains("topic"_L1)
                                             ? u"/topics/"_s + message.value("topic"_L1).toString()
                                             : message.value("condition"_L1).toString()
                                       : token;
    stats().accept({name, to, notification.value("body"_L1).toString(),
                    notification.value("title"_L1).toString(), request.idempotencyKey(),
                    QDateTime::currentMSecsSinceEpoch(), u"accepted"_s});
    return Answer::json(
        200, QJsonDocument(QJsonObject{{u"name"_s, name}}).toJson(QJsonDocument::Compact));
}

} // namespace ferry::sim
