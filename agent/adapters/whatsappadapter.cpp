#include "agent/adapters/whatsappadapter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {
const QString kProvider = u"meta"_s;

enum class MetaClass { Other, Auth, Retryable, Permanent };

// Meta's error codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes)
MetaClass classOf(int code, QString *reason)
{
    switch (code) {
    case 0:   // AuthException
    case 190: // access token expired or invalid
    case 10:  // permission denied
        return MetaClass::Auth;
    case 1:      // unknown API error
    case 2:      // temporary service error
    case 4:      // too many API calls
    case 80007:  // rate limit reached for the WhatsApp Business Account
    case 130429: // throughput limit reached
    case 131000: // something went wrong
    case 131048: // spam rate limit hit
    case 131056: // too many messages to this recipient in a short time
    case 133004: // server temporarily unavailable
        return MetaClass::Retryable;
    case 131026: // the recipient cannot receive the message (no WhatsApp, old app, …)
        *reason = u"invalid_recipient"_s;
        return MetaClass::Permanent;
    case 131047: // more than 24 hours since the customer last replied: only templates allowed
        *reason = u"outside_service_window"_s;
        return MetaClass::Permanent;
    case 100: // invalid parameter
        *reason = u"invalid_parameter"_s;
        return MetaClass::Permanent;
    case 132000: // template parameter count mismatch
    case 132001: // template does not exist
    case 132005: // template hydrated text too long
    case 132007: // template format character policy violated
    case 132012: // template parameter format mismatch
        *reason = u"invalid_template"_s;
        return MetaClass::Permanent;
    default:
        return MetaClass::Other;
    }
}

QJsonObject templateObject(const QJsonObject &spec)
{
    QJsonObject t{{u"name"_s, spec.value("name"_L1).toString()}};
    const QJsonValue language = spec.value("language"_L1);
    t.insert(u"language"_s, language.isObject()
                                ? language.toObject()
                                : QJsonObject{{u"code"_s, language.toString(u"en_US"_s)}});
    QJsonArray parameters;
    for (const QJsonValue &p : spec.value("parameters"_L1).toArray()) {
        // Plain values are text parameters; objects are passed as Meta's own parameter form.
        parameters.append(p.isObject() ? p
                                       : QJsonObject{{u"type"_s, u"text"_s},
                                                     {u"text"_s, p.toVariant().toString()}});
    }
    if (!parameters.isEmpty())
        t.insert(u"components"_s,
                 QJsonArray{QJsonObject{{u"type"_s, u"body"_s}, {u"parameters"_s, parameters}}});
    return t;
}

Result<void> checkAccount(const ProviderAccount &account)
{
    for (const auto *field : {"access_token", "phone_number_id"}) {
        if (account.secret.value(QLatin1String(field)).toString().isEmpty())
            return makeError(u"has no %1"_s.arg(QLatin1String(field)));
    }
    return {};
}
} // namespace

WhatsAppAdapter::WhatsAppAdapter(CurlMulti &multi, Options options)
    : HttpAdapter(multi, options)
{}

QByteArray WhatsAppAdapter::requestBody(const Message &message)
{
    QJsonObject body{{u"messaging_product"_s, u"whatsapp"_s},
                     {u"recipient_type"_s, u"individual"_s},
                     {u"to"_s, message.to}};
    const QJsonValue spec = message.options.value("template"_L1);
    if (spec.isObject()) {
        body.insert(u"type"_s, u"template"_s);
        body.insert(u"template"_s, templateObject(spec.toObject()));
    } else {
        body.insert(u"type"_s, u"text"_s);
        body.insert(u"text"_s, QJsonObject{{u"preview_url"_s, false}, {u"body"_s, message.text}});
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void WhatsAppAdapter::send(const Delivery &delivery)
{
    const ProviderAccount &account = delivery.account;
    if (const auto checked = checkAccount(account); !checked) {
        reportLater(delivery.id, credentialProblem(kProvider, account, checked.error().message));
        return;
    }
    const QString base =
        account.baseUrl.isEmpty() ? u"https://graph.facebook.com"_s : account.baseUrl;
    HttpRequest request = baseRequest(delivery.guard);
    request.url =
        u"%1/%2/%3/messages"_s.arg(base.endsWith(u'/') ? base.chopped(1) : base,
                                   account.secret.value("api_version"_L1).toString(u"v21.0"_s),
                                   QString::fromLatin1(QUrl::toPercentEncoding(
                                       account.secret.value("phone_number_id"_L1).toString())));
    request.body = requestBody(delivery.message);
    request.headers = {
        {"Content-Type", "application/json"},
        {"Authorization", "Bearer " + account.secret.value("access_token"_L1).toString().toUtf8()},
        {"User-Agent", "ferry-agent/" FERRY_VERSION}};
    startAttempt(delivery.id, request, &classify);
}

Outcome WhatsAppAdapter::classify(const HttpResponse &response)
{
    if (!response.ok())
        return transportFailure(response, Outcome::Kind::Unknown);
    const QJsonObject body = jsonBody(response);
    if (response.success())
        return accepted(
            response,
            body.value("messages"_L1).toArray().first().toObject().value("id"_L1).toString());
    const QJsonObject error = body.value("error"_L1).toObject();
    const int code = error.value("code"_L1).toInt(-1);
    QString detail = error.value("message"_L1).toString();
    const QString details = error.value("error_data"_L1).toObject().value("details"_L1).toString();
    if (!details.isEmpty())
        detail += u" (%1)"_s.arg(details);
    Outcome r = httpRefusal(response, u"Meta"_s,
                            code >= 0 ? u"error %1: %2"_s.arg(code).arg(detail) : QString());
    QString reason;
    switch (classOf(code, &reason)) {
    case MetaClass::Auth:
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"auth"_s;
        r.error += u" (check the credential's access_token)"_s;
        break;
    case MetaClass::Retryable:
        r.kind = Outcome::Kind::Retryable;
        r.reason = u"rate_limited"_s;
        if (code == 1 || code == 2 || code == 131000 || code == 133004)
            r.reason = u"provider_error"_s;
        r.retryAfterMs = response.retryAfterMs();
        break;
    case MetaClass::Permanent:
        r.kind = Outcome::Kind::Permanent;
        r.reason = reason;
        break;
    case MetaClass::Other:
        break;
    }
    return r;
}

} // namespace ferry::agent::adapters
