#pragma once

#include "agent/adapters/adapter.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>
#include <optional>

typedef void CURL;
struct curl_slist;

namespace ferry::agent::adapters {

class CurlMulti;
class SsrfGuard;

// One outbound webhook request: owns the curl easy handle, its headers and its buffers.
class WebhookTransfer
{
public:
    WebhookTransfer(const Delivery &delivery, qint64 timeoutMs, qint64 nowSeconds,
                    const SsrfGuard *guard);
    ~WebhookTransfer();
    WebhookTransfer(const WebhookTransfer &) = delete;
    WebhookTransfer &operator=(const WebhookTransfer &) = delete;

    // The request headers of an attempt, in the order they are sent. The API shows them with
    // the signature left out (it is derived from the endpoint's secret).
    static QList<QPair<QByteArray, QByteArray>> requestHeaders(const QByteArray &deliveryId,
                                                               const QByteArray &timestamp,
                                                               const QByteArray &signature);

    CURL *handle() const { return m_easy; }
    // Classifies the finished transfer per the webhook contract: 2xx success; 410 gone;
    // 408, 429, 5xx, timeouts and connection errors retryable (honouring Retry-After);
    // other 4xx and redirects permanent.
    Outcome result(int curlCode) const;

private:
    static size_t onHeader(char *data, size_t size, size_t count, void *self);
    static size_t onBody(char *data, size_t size, size_t count, void *self);
    static int onOpenSocket(void *self, int purpose, void *address);

    CURL *m_easy = nullptr;
    curl_slist *m_headers = nullptr;
    QByteArray m_body;
    QByteArray m_retryAfter;
    QByteArray m_responseExcerpt;
    char m_errorBuffer[256] = {};
    const SsrfGuard *m_guard = nullptr;
    QString m_blockedAddress; // set when the guard refused to connect
};

// Partner webhooks, signed the Standard Webhooks way (webhook-id is the delivery id), many in
// flight on the thread's libcurl multi handle.
class WebhookAdapter final : public Adapter
{
public:
    struct Options
    {
        qint64 timeoutMs = 15'000;
        // null: every address is allowed. A delivery's own guard (Delivery::guard) wins.
        const SsrfGuard *guard = nullptr;
    };
    WebhookAdapter(CurlMulti &multi, Options options);
    ~WebhookAdapter() override;

    QString channel() const override { return QStringLiteral("webhook"); }
    void send(const Delivery &delivery) override;
    // Outcomes arrive through the multi handle's callbacks.
    void poll() override { reportPendingStatus(); }
    void abandon(const QUuid &deliveryId) override;

private:
    CurlMulti &m_multi;
    Options m_options;
    QHash<QUuid, std::shared_ptr<WebhookTransfer>> m_transfers;
};

// Parses a Retry-After value (delay-seconds or an HTTP-date) into milliseconds from now.
std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowSeconds);

} // namespace ferry::agent::adapters
