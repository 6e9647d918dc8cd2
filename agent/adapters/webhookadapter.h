#pragma once

#include "agent/adapters/httpadapter.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace ferry::agent::adapters {

// Partner webhooks, signed the Standard Webhooks way (webhook-id is the delivery id), many in
// flight on the thread's libcurl multi handle.
class WebhookAdapter final : public HttpAdapter
{
public:
    using Options = HttpAdapter::Options;
    WebhookAdapter(CurlMulti &multi, Options options);

    // The request headers of an attempt, in the order they are sent. The API shows them with
    // the signature left out (it is derived from the endpoint's secret).
    static QList<QPair<QByteArray, QByteArray>> requestHeaders(const QByteArray &deliveryId,
                                                               const QByteArray &timestamp,
                                                               const QByteArray &signature);
    // Classifies a receiver's answer per the webhook contract: 2xx success; 410 gone;
    // 408, 429, 5xx, timeouts and connection errors retryable (honouring Retry-After);
    // other 4xx and redirects permanent.
    static Outcome classify(const HttpResponse &response);

    QString channel() const override { return QStringLiteral("webhook"); }
    void send(const Delivery &delivery) override;
};

} // namespace ferry::agent::adapters
