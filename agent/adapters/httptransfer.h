#pragma once

#include "agent/adapters/adapter.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

using CURL = void; // as curl.h declares it
struct curl_slist;

namespace ferry::agent::adapters {

class SsrfGuard;

// One outbound HTTP request of an adapter (a webhook, a provider's API, a token exchange).
struct HttpRequest
{
    QByteArray method = "POST"; // POST or GET
    QString url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 timeoutMs = 15'000;
    const SsrfGuard *guard = nullptr; // null: every address is allowed
    // The response body kept; the rest is read and dropped.
    qsizetype maxResponseBytes = qsizetype(64) * 1024;
};

// What came back for a request, or why nothing did.
struct HttpResponse
{
    int curlCode = 0; // CURLE_OK: an HTTP answer arrived
    int status = 0;
    QByteArray body; // at most HttpRequest::maxResponseBytes
    QByteArray retryAfter;
    QString transportError;   // libcurl's words, when curlCode is not CURLE_OK
    QString blockedAddress;   // the address the SSRF guard refused to connect to
    bool requestSent = false; // the request left Ferry (the receiver may have acted on it)

    bool ok() const { return curlCode == 0; }
    bool success() const { return ok() && status >= 200 && status < 300; }
    // The start of the body as printable text on one line, for error messages.
    QString excerpt() const;
    // Retry-After in milliseconds from now, when the response carries one.
    std::optional<qint64> retryAfterMs() const;
};

// One request on a libcurl easy handle, set up the way every adapter sends: no redirects, no
// proxy from the environment, the SSRF guard on every address connected to, keep-alive, HTTP/2
// where the server offers it over TLS. Owns the handle, its headers and its buffers.
class HttpTransfer
{
public:
    explicit HttpTransfer(const HttpRequest &request);
    ~HttpTransfer();
    HttpTransfer(const HttpTransfer &) = delete;
    HttpTransfer &operator=(const HttpTransfer &) = delete;

    CURL *handle() const { return m_easy; }
    // The response once the multi handle reports the transfer finished with `curlCode`.
    HttpResponse response(int curlCode) const;

private:
    static size_t onHeader(char *data, size_t size, size_t count, void *self);
    static size_t onBody(char *data, size_t size, size_t count, void *self);
    static int onOpenSocket(void *self, int purpose, void *address);
    void setOptions(const HttpRequest &request);

    CURL *m_easy = nullptr;
    curl_slist *m_headers = nullptr;
    QByteArray m_body;
    QByteArray m_response;
    QByteArray m_retryAfter;
    qsizetype m_maxResponseBytes = 0;
    char m_errorBuffer[256] = {};
    const SsrfGuard *m_guard = nullptr;
    QString m_blockedAddress; // set when the guard refused to connect
};

// How a request that got no HTTP answer ends: refused by the SSRF guard (permanent,
// `ssrf_blocked`), a malformed URL (permanent), a timeout, DNS, TLS or connection failure
// (retryable). With `unanswered` Unknown, a request that was sent and then met a closed or reset
// connection is Unknown (`no_response`): the provider may have acted on it.
Outcome transportFailure(const HttpResponse &response, Outcome::Kind unanswered);

// Parses a Retry-After value (delay-seconds or an HTTP-date) into milliseconds from now.
std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowSeconds);

// application/x-www-form-urlencoded, every byte outside the unreserved set percent-encoded
// (so the `+` of a phone number survives).
QByteArray formEncode(const QList<QPair<QByteArray, QByteArray>> &fields);

// An `Authorization` header value for HTTP Basic authentication.
QByteArray basicAuthorization(const QString &user, const QString &password);

} // namespace ferry::agent::adapters
