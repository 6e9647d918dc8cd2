#include "agent/adapters/smsadapter.h"

#include <QJsonObject>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {
const QString kProvider = u"twilio"_s;

// Twilio's error codes for a message that will never be accepted as it is.
QString reasonForCode(int code)
{
    switch (code) {
    case 21211: // invalid 'To' number
    case 21217: // the number does not appear valid
    case 21401: // invalid phone number
    case 21408: // sending to this region is not enabled
    case 21610: // the recipient opted out (replied STOP)
    case 21612: // Twilio cannot route to this number
    case 21614: // the 'To' number is not a mobile number
        return u"invalid_recipient"_s;
    case 21212: // invalid 'From' number
    case 21603: // 'From' is required
    case 21606: // the 'From' number cannot send SMS
    case 21659: // 'From' is not a Twilio number
    case 21703: // the messaging service cannot send
    case 21705: // invalid messaging service
        return u"invalid_sender"_s;
    case 21602: // the body is required
    case 21617: // the body is longer than 1600 characters
        return u"invalid_message"_s;
    case 20003: // authentication failed
        return u"auth"_s;
    default:
        return {};
    }
}

std::optional<double> positivePrice(const QJsonValue &price)
{
    bool ok = false;
    const double value = price.isDouble() ? price.toDouble() : price.toString().toDouble(&ok);
    if (!price.isDouble() && !ok)
        return std::nullopt;
    return std::abs(value); // Twilio states what it charged as a negative amount
}

Result<void> checkAccount(const ProviderAccount &account)
{
    for (const auto *field : {"account_sid", "auth_token"}) {
        if (account.secret.value(QLatin1String(field)).toString().isEmpty())
            return makeError(u"has no %1"_s.arg(QLatin1String(field)));
    }
    if (account.secret.value("from"_L1).toString().isEmpty() &&
        account.secret.value("messaging_service_sid"_L1).toString().isEmpty())
        return makeError(u"has neither from nor messaging_service_sid"_s);
    return {};
}

QByteArray authorization(const ProviderAccount &account)
{
    return basicAuthorization(account.secret.value("account_sid"_L1).toString(),
                              account.secret.value("auth_token"_L1).toString());
}
} // namespace

SmsAdapter::SmsAdapter(CurlMulti &multi, const Options &options)
    : HttpAdapter(multi, options.http)
    , m_statusCallbackBase(options.statusCallbackBase)
{}

QString SmsAdapter::accountUrl(const ProviderAccount &account)
{
    const QString base = account.baseUrl.isEmpty() ? u"https://api.twilio.com"_s : account.baseUrl;
    const QString sid = account.secret.value("account_sid"_L1).toString();
    return u"%1/2010-04-01/Accounts/%2"_s.arg(base.endsWith(u'/') ? base.chopped(1) : base,
                                              QString::fromLatin1(QUrl::toPercentEncoding(sid)));
}

QByteArray SmsAdapter::form(const Delivery &delivery) const
{
    const QJsonObject &secret = delivery.account.secret;
    QList<QPair<QByteArray, QByteArray>> fields{{"To", delivery.message.to.toUtf8()}};
    const QString from = secret.value("from"_L1).toString();
    if (!from.isEmpty())
        fields.append({"From", from.toUtf8()});
    else
        fields.append(
            {"MessagingServiceSid", secret.value("messaging_service_sid"_L1).toString().toUtf8()});
    fields.append({"Body", delivery.message.text.toUtf8()});
    if (!m_statusCallbackBase.isEmpty()) {
        const QString base = m_statusCallbackBase.endsWith(u'/') ? m_statusCallbackBase.chopped(1)
                                                                 : m_statusCallbackBase;
        fields.append({"StatusCallback", u"%1/v1/inbound/%2/%3"_s.arg(base)
                                             .arg(delivery.tenantId)
                                             .arg(delivery.account.name)
                                             .toUtf8()});
    }
    return formEncode(fields);
}

void SmsAdapter::send(const Delivery &delivery)
{
    if (const auto checked = checkAccount(delivery.account); !checked) {
        reportLater(delivery.id,
                    credentialProblem(kProvider, delivery.account, checked.error().message));
        return;
    }
    HttpRequest request = baseRequest(delivery.guard);
    request.url = accountUrl(delivery.account) + u"/Messages.json"_s;
    request.body = form(delivery);
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Authorization", authorization(delivery.account)},
        {"I-Twilio-Idempotency-Token", delivery.id.toByteArray(QUuid::WithoutBraces)},
        {"User-Agent", "ferry-agent/" FERRY_VERSION}};
    startAttempt(delivery.id, request, &classify);
}

Outcome SmsAdapter::classify(const HttpResponse &response)
{
    if (!response.ok())
        return transportFailure(response, Outcome::Kind::Unknown);
    const QJsonObject body = jsonBody(response);
    if (response.success()) {
        Outcome r = accepted(response, body.value("sid"_L1).toString());
        r.cost = positivePrice(body.value("price"_L1));
        if (r.cost)
            r.currency = body.value("price_unit"_L1).toString();
        return r;
    }
    const int code = body.value("code"_L1).toInt();
    const QString message = body.value("message"_L1).toString();
    Outcome r = httpRefusal(response, u"Twilio"_s,
                            code ? u"error %1: %2"_s.arg(code).arg(message) : QString());
    const QString reason = reasonForCode(code);
    if (r.kind == Outcome::Kind::Permanent && !reason.isEmpty())
        r.reason = reason;
    if (r.reason == u"auth"_s)
        r.error += u" (check the credential's account_sid and auth_token)"_s;
    return r;
}

Result<ProviderStatus> SmsAdapter::parseStatus(const HttpResponse &response)
{
    if (!response.ok())
        return makeError(u"Twilio did not answer: %1"_s.arg(response.transportError));
    const QJsonObject body = jsonBody(response);
    if (!response.success())
        return makeError(u"Twilio answered HTTP %1: %2"_s.arg(response.status)
                             .arg(body.value("message"_L1).toString(response.excerpt())));
    ProviderStatus s;
    s.providerMessageId = body.value("sid"_L1).toString();
    s.status = body.value("status"_L1).toString();
    static const QStringList finalStates{u"delivered"_s, u"undelivered"_s, u"failed"_s,
                                         u"canceled"_s, u"read"_s};
    s.final = finalStates.contains(s.status);
    s.cost = positivePrice(body.value("price"_L1));
    if (s.cost)
        s.currency = body.value("price_unit"_L1).toString();
    const QJsonValue errorCode = body.value("error_code"_L1);
    if (!errorCode.isNull() && !errorCode.isUndefined())
        s.error =
            u"%1 %2"_s
                .arg(errorCode.toVariant().toString(), body.value("error_message"_L1).toString())
                .trimmed();
    return s;
}

void SmsAdapter::queryStatus(const ProviderAccount &account, const QString &providerMessageId,
                             StatusDone done)
{
    HttpRequest request = baseRequest(nullptr);
    request.method = "GET";
    request.url = u"%1/Messages/%2.json"_s.arg(
        accountUrl(account), QString::fromLatin1(QUrl::toPercentEncoding(providerMessageId)));
    request.headers = {{"Authorization", authorization(account)},
                       {"User-Agent", "ferry-agent/" FERRY_VERSION}};
    start(QUuid::createUuid(), request,
          [done = std::move(done)](const HttpResponse &response) { done(parseStatus(response)); });
}

} // namespace ferry::agent::adapters
