#include "agent/inbound/inboundcheck.h"

#include "agent/inbound/signatures.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::agent::inbound {

namespace {

using Checked = Result<InboundAccepted, InboundRefusal>;

qint64 tolerance(const store::InboundConnector &c)
{
    return c.settings.value("tolerance_seconds"_L1).toInteger(300);
}

QString bodyHash(const QByteArray &body)
{
    return u"sha256:"_s +
           QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
}

InboundAccepted byId(const QString &id, const QByteArray &body)
{
    if (id.isEmpty())
        return {bodyHash(body), {}};
    return {u"id:"_s + id, id};
}

Checked refused(const Verification &v, const QString &kind)
{
    if (v.verdict == Verdict::Malformed)
        return InboundRefusal{400, u"malformed-signature"_s, v.detail};
    const QString slug = v.verdict == Verdict::Stale     ? u"stale-signature"_s
                         : v.verdict == Verdict::Missing ? u"missing-signature"_s
                                                         : u"bad-signature"_s;
    return InboundRefusal{401, slug, u"%1 (%2 connector)"_s.arg(v.detail, kind)};
}

// The settings that describe the signature scheme (the rest say where the events go).
Result<HmacScheme> hmacScheme(const QJsonObject &settings)
{
    QJsonObject scheme = settings;
    for (const char *other : {"public_url", "event_source", "id_header", "event_type", "receipts"})
        scheme.remove(QLatin1StringView(other));
    return parseHmacScheme(scheme);
}

QString stripeEventId(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value("id"_L1).toString();
}

Checked checkDomain(const store::InboundConnector &c, const net::HttpRequest &request, qint64 now)
{
    if (c.kind == "stripe"_L1) {
        const Verification v = verifyStripe(request.header("stripe-signature"), request.body,
                                            c.secrets, now, tolerance(c));
        return v.verdict == Verdict::Valid
                   ? Checked(byId(stripeEventId(request.body), request.body))
                   : refused(v, c.kind);
    }
    if (c.kind == "standard-webhooks"_L1) {
        const QByteArray id = request.header("webhook-id");
        const Verification v = verifyStandardWebhooks(id, request.header("webhook-timestamp"),
                                                      request.header("webhook-signature"),
                                                      request.body, c.secrets, now, tolerance(c));
        return v.verdict == Verdict::Valid ? Checked(byId(QString::fromUtf8(id), request.body))
                                           : refused(v, c.kind);
    }
    auto scheme = hmacScheme(c.settings);
    if (!scheme)
        return InboundRefusal{401, u"bad-signature"_s, scheme.error().message};
    const Verification v = verifyHmac(
        *scheme, request.header(scheme->header),
        scheme->timestampHeader.isEmpty() ? QByteArray() : request.header(scheme->timestampHeader),
        request.body, c.secrets, now);
    if (v.verdict != Verdict::Valid)
        return refused(v, c.kind);
    const QByteArray idHeader = c.settings.value("id_header"_L1).toString().toUtf8();
    return byId(idHeader.isEmpty() ? QString() : QString::fromUtf8(request.header(idHeader)),
                request.body);
}

} // namespace

Checked checkRequest(const store::InboundConnector &c, const net::HttpRequest &request,
                     const QByteArray &url, qint64 now)
{
    if (c.kind == "twilio"_L1) {
        const Verification v =
            verifyTwilio(request.header("x-twilio-signature"), url, request.header("content-type"),
                         request.body, c.secrets);
        if (v.verdict != Verdict::Valid)
            return refused(v, c.kind);
        return byId(QString::fromUtf8(request.header("i-twilio-idempotency-token")), request.body);
    }
    if (c.kind == "whatsapp"_L1) {
        const Verification v =
            verifyWhatsApp(request.header("x-hub-signature-256"), request.body, c.secrets);
        return v.verdict == Verdict::Valid ? Checked(byId({}, request.body)) : refused(v, c.kind);
    }
    return checkDomain(c, request, now);
}

QByteArray calledUrl(const QJsonObject &settings, const net::HttpRequest &request, bool tls)
{
    QString base = settings.value("public_url"_L1).toString();
    if (base.isEmpty())
        base = (tls ? u"https://"_s : u"http://"_s) + QString::fromUtf8(request.header("host"));
    while (base.endsWith(u'/'))
        base.chop(1);
    return base.toUtf8() + request.target;
}

namespace {

std::optional<QString> badTolerance(const QJsonObject &settings)
{
    const QJsonValue t = settings.value("tolerance_seconds"_L1);
    if (t.isUndefined())
        return std::nullopt;
    if (!t.isDouble() || t.toDouble() != double(t.toInteger()) || t.toInteger() < 1 ||
        t.toInteger() > 86400)
        return u"tolerance_seconds: a whole number of seconds from 1 to 86400"_s;
    return std::nullopt;
}

std::optional<QString> badPublicUrl(const QJsonObject &settings)
{
    const QJsonValue v = settings.value("public_url"_L1);
    if (v.isUndefined())
        return std::nullopt;
    const QUrl url(v.toString(), QUrl::StrictMode);
    if (!v.isString() || !url.isValid() ||
        (url.scheme() != "https"_L1 && url.scheme() != "http"_L1) || url.host().isEmpty() ||
        url.hasQuery() || !url.userInfo().isEmpty())
        return u"public_url: the agent's inbound address as the provider calls it, such as "
               "https://ferry.example.com (no path query or credentials)"_s;
    return std::nullopt;
}

} // namespace

Result<void> checkSettings(const QString &kind, const QJsonObject &settings)
{
    static const QStringList common{u"tolerance_seconds"_s, u"public_url"_s, u"event_source"_s};
    static const QStringList hmac{u"header"_s,     u"algorithm"_s,        u"encoding"_s,
                                  u"prefix"_s,     u"timestamp_header"_s, u"id_header"_s,
                                  u"event_type"_s, u"receipts"_s};
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        if (!common.contains(it.key()) && !(kind == "hmac"_L1 && hmac.contains(it.key())))
            return makeError(u"settings.%1: not a setting of a %2 connector (it has %3)"_s.arg(
                it.key(), kind, (kind == "hmac"_L1 ? common + hmac : common).join(u", "_s)));
        if (it.key() != "tolerance_seconds"_L1 && !it.value().isString())
            return makeError(u"settings.%1: a string"_s.arg(it.key()));
    }
    if (auto bad = badTolerance(settings))
        return makeError(u"settings."_s + *bad);
    if (auto bad = badPublicUrl(settings))
        return makeError(u"settings."_s + *bad);
    if (settings.contains("receipts"_L1) && settings.value("receipts"_L1) != "dsn"_L1)
        return makeError(u"settings.receipts: \"dsn\" (the requests are bounce messages, RFC "
                         "3464, for the emails Ferry sent), or leave it out"_s);
    if (kind == "hmac"_L1) {
        if (auto scheme = hmacScheme(settings); !scheme)
            return makeError(u"settings: "_s + scheme.error().message);
    }
    return {};
}

} // namespace ferry::agent::inbound
