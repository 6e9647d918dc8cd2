#include "agent/adapters/webhookadapter.h"

#include "shared/webhooksignature.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {
constexpr qsizetype kExcerptBytes = 512; // a receiver's answer is only ever shown, never parsed
}

QList<QPair<QByteArray, QByteArray>> WebhookAdapter::requestHeaders(const QByteArray &deliveryId,
                                                                    const QByteArray &timestamp,
                                                                    const QByteArray &signature)
{
    return {{"Content-Type", "application/cloudevents+json"},
            {"webhook-id", deliveryId},
            {"webhook-timestamp", timestamp},
            {"webhook-signature", signature},
            {"User-Agent", "ferry-agent/" FERRY_VERSION}};
}

WebhookAdapter::WebhookAdapter(CurlMulti &multi, Options options)
    : HttpAdapter(multi, options)
{}

void WebhookAdapter::send(const Delivery &delivery)
{
    // A secret that does not decode would sign with an empty key: a signature anyone can forge.
    if (WebhookSignature::keyFromSecret(delivery.secret).isEmpty()) {
        Outcome refused;
        refused.kind = Outcome::Kind::Permanent;
        refused.reason = u"credential"_s;
        refused.error = u"the route's signing secret is not a Standard Webhooks secret ('whsec_' "
                        "and base64); nothing was sent: give the route a new secret"_s;
        reportLater(delivery.id, refused);
        return;
    }
    const QByteArray id = delivery.id.toByteArray(QUuid::WithoutBraces);
    const QByteArray timestamp = QByteArray::number(QDateTime::currentSecsSinceEpoch());
    HttpRequest request = baseRequest(delivery.guard);
    request.url = delivery.target;
    request.body = delivery.payload;
    request.headers = requestHeaders(
        id, timestamp, WebhookSignature::sign(delivery.secret, id, timestamp, delivery.payload));
    request.maxResponseBytes = kExcerptBytes;
    startAttempt(delivery.id, request, &classify);
}

Outcome WebhookAdapter::classify(const HttpResponse &response)
{
    if (!response.ok())
        return transportFailure(response, Outcome::Kind::Retryable);
    Outcome r;
    const int status = response.status;
    r.statusCode = status;
    if (response.success()) {
        r.kind = Outcome::Kind::Delivered;
        return r;
    }
    const QString excerpt = response.excerpt();
    const QString detail = excerpt.isEmpty() ? QString() : u": "_s + excerpt;
    r.error = u"HTTP %1%2"_s.arg(status).arg(detail);
    if (status == 410) {
        r.kind = Outcome::Kind::Permanent;
        r.targetGone = true;
        r.reason = u"endpoint_gone"_s;
        return r;
    }
    if (status == 408 || status == 429 || status >= 500) {
        r.kind = Outcome::Kind::Retryable;
        r.reason = status >= 500 ? u"http_5xx"_s : u"http_4xx"_s;
        r.retryAfterMs = response.retryAfterMs();
        return r;
    }
    r.kind = Outcome::Kind::Permanent;
    r.reason = status >= 300 && status < 400 ? u"redirect"_s : u"http_4xx"_s;
    if (status >= 300 && status < 400)
        r.error = u"HTTP %1: the receiver redirects; Ferry does not follow redirects, register "
                  "the final URL%2"_s.arg(status)
                      .arg(detail);
    return r;
}

} // namespace ferry::agent::adapters
