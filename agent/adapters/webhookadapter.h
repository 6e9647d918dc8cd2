#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

typedef void CURL;
struct curl_slist;

namespace ferry::agent::store {
struct ClaimedDelivery;
}

namespace ferry::agent::adapters {

class SsrfGuard;

// What an adapter says about one attempt.
struct AttemptResult
{
    enum class Kind { Success, Retryable, Permanent, Gone };
    Kind kind = Kind::Retryable;
    int statusCode = 0;
    QString error;
    QString reason; // dead-letter reason code: timeout, connect, tls, dns, http_4xx, http_5xx, …
    std::optional<qint64> retryAfterMs;
};

// One outbound webhook request: owns the curl easy handle, its headers and its buffers.
class WebhookTransfer
{
public:
    WebhookTransfer(const store::ClaimedDelivery &delivery, qint64 timeoutMs, qint64 nowSeconds,
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
    AttemptResult result(int curlCode) const;

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

// Parses a Retry-After value (delay-seconds or an HTTP-date) into milliseconds from now.
std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowSeconds);

} // namespace ferry::agent::adapters
