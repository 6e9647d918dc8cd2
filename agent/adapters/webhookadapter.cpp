#include "agent/adapters/webhookadapter.h"

#include "agent/adapters/curlmulti.h"
#include "agent/adapters/ssrfguard.h"
#include "shared/webhooksignature.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <curl/curl.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {
constexpr qsizetype kExcerptBytes = 512;
}

std::optional<qint64> parseRetryAfter(const QByteArray &value, qint64 nowSeconds)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(seconds * 1000);
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(v), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!when.isValid())
        return std::nullopt;
    when.setTimeSpec(Qt::UTC);
    return std::max<qint64>(0, (when.toSecsSinceEpoch() - nowSeconds) * 1000);
}

QList<QPair<QByteArray, QByteArray>> WebhookTransfer::requestHeaders(const QByteArray &deliveryId,
                                                                     const QByteArray &timestamp,
                                                                     const QByteArray &signature)
{
    return {{"Content-Type", "application/cloudevents+json"},
            {"webhook-id", deliveryId},
            {"webhook-timestamp", timestamp},
            {"webhook-signature", signature},
            {"User-Agent", "ferry-agent/" FERRY_VERSION}};
}

WebhookTransfer::WebhookTransfer(const Delivery &delivery, qint64 timeoutMs, qint64 nowSeconds,
                                 const SsrfGuard *guard)
    : m_body(delivery.payload)
    , m_guard(guard)
{
    const QByteArray id = delivery.id.toByteArray(QUuid::WithoutBraces);
    const QByteArray timestamp = QByteArray::number(nowSeconds);
    const QByteArray signature = WebhookSignature::sign(delivery.secret, id, timestamp, m_body);

    for (const auto &[name, value] : requestHeaders(id, timestamp, signature))
        m_headers = curl_slist_append(m_headers, QByteArray(name + ": " + value).constData());
    m_headers = curl_slist_append(m_headers, "Expect:"); // no 100-continue round trip

    const QByteArray url = delivery.target.toUtf8();
    m_easy = curl_easy_init();
    curl_easy_setopt(m_easy, CURLOPT_URL, url.constData()); // libcurl copies the string
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(m_easy, CURLOPT_HTTPHEADER, m_headers);
    curl_easy_setopt(m_easy, CURLOPT_POST, 1L);
    curl_easy_setopt(m_easy, CURLOPT_POSTFIELDS, m_body.constData());
    curl_easy_setopt(m_easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(m_body.size()));
    curl_easy_setopt(m_easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(m_easy, CURLOPT_PROXY, ""); // no proxy from the environment: see SsrfGuard
    curl_easy_setopt(m_easy, CURLOPT_TIMEOUT_MS, long(timeoutMs));
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(m_easy, CURLOPT_HEADERFUNCTION, &WebhookTransfer::onHeader);
    curl_easy_setopt(m_easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_WRITEFUNCTION, &WebhookTransfer::onBody);
    curl_easy_setopt(m_easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, m_errorBuffer);
    curl_easy_setopt(m_easy, CURLOPT_PRIVATE, this);
    if (m_guard) {
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETFUNCTION, &WebhookTransfer::onOpenSocket);
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETDATA, this);
    }
}

int WebhookTransfer::onOpenSocket(void *self, int purpose, void *address)
{
    auto *t = static_cast<WebhookTransfer *>(self);
    auto *a = static_cast<curl_sockaddr *>(address);
    if (purpose == CURLSOCKTYPE_IPCXN && t->m_guard) {
        QHostAddress target;
        target.setAddress(&a->addr);
        const QString why = t->m_guard->refusal(target);
        if (!why.isEmpty()) {
            t->m_blockedAddress = u"%1, %2,"_s.arg(target.toString(), why);
            return CURL_SOCKET_BAD;
        }
    }
    return ::socket(a->family, a->socktype, a->protocol);
}

WebhookTransfer::~WebhookTransfer()
{
    if (m_easy)
        curl_easy_cleanup(m_easy);
    if (m_headers)
        curl_slist_free_all(m_headers);
}

size_t WebhookTransfer::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *t = static_cast<WebhookTransfer *>(self);
    const QByteArrayView line(data, qsizetype(size * count));
    if (line.startsWith("HTTP/"))
        t->m_retryAfter.clear(); // a new response (after an interim 1xx)
    else if (line.size() > 12 && line.first(12).compare("retry-after:", Qt::CaseInsensitive) == 0)
        t->m_retryAfter = line.sliced(12).trimmed().toByteArray();
    return size * count;
}

size_t WebhookTransfer::onBody(char *data, size_t size, size_t count, void *self)
{
    auto *t = static_cast<WebhookTransfer *>(self);
    const qsizetype room = kExcerptBytes - t->m_responseExcerpt.size();
    if (room > 0)
        t->m_responseExcerpt.append(data, std::min<qsizetype>(room, qsizetype(size * count)));
    return size * count;
}

Outcome WebhookTransfer::result(int curlCode) const
{
    Outcome r;
    const auto code = CURLcode(curlCode);
    if (code != CURLE_OK && !m_blockedAddress.isEmpty()) {
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"ssrf_blocked"_s;
        r.error = u"the endpoint's address %1 is on an internal network; Ferry does not send "
                  "there unless webhook.allowed_networks or the tenant's allowed_networks "
                  "includes it"_s.arg(m_blockedAddress);
        return r;
    }
    if (code != CURLE_OK) {
        r.kind = Outcome::Kind::Retryable;
        r.error = QString::fromUtf8(m_errorBuffer[0] ? m_errorBuffer : curl_easy_strerror(code));
        switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            r.reason = u"timeout"_s;
            break;
        case CURLE_COULDNT_RESOLVE_HOST:
            r.reason = u"dns"_s;
            break;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
            r.reason = u"tls"_s;
            break;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            r.kind = Outcome::Kind::Permanent;
            r.reason = u"permanent"_s;
            break;
        default:
            r.reason = u"connect"_s;
            break;
        }
        return r;
    }
    long status = 0;
    curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    r.statusCode = int(status);
    // Printable text only: a receiver's bytes end up in the database and in operators' terminals.
    QString excerpt = QString::fromUtf8(m_responseExcerpt);
    for (QChar &c : excerpt) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = u' ';
    }
    excerpt = excerpt.simplified();
    const QString detail = excerpt.isEmpty() ? QString() : u": "_s + excerpt;
    if (status >= 200 && status < 300) {
        r.kind = Outcome::Kind::Delivered;
        return r;
    }
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
        r.retryAfterMs = parseRetryAfter(m_retryAfter, QDateTime::currentSecsSinceEpoch());
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

WebhookAdapter::WebhookAdapter(CurlMulti &multi, Options options)
    : m_multi(multi)
    , m_options(options)
{}

WebhookAdapter::~WebhookAdapter()
{
    for (const auto &transfer : std::as_const(m_transfers))
        m_multi.remove(transfer->handle());
}

void WebhookAdapter::send(const Delivery &delivery)
{
    auto transfer = std::make_shared<WebhookTransfer>(
        delivery, m_options.timeoutMs, QDateTime::currentSecsSinceEpoch(),
        delivery.guard ? delivery.guard : m_options.guard);
    const QUuid id = delivery.id;
    m_transfers.insert(id, transfer);
    m_multi.add(transfer->handle(), [this, id, transfer](int curlCode) {
        const Outcome outcome = transfer->result(curlCode);
        m_transfers.remove(id);
        report(id, outcome);
    });
}

void WebhookAdapter::abandon(const QUuid &deliveryId)
{
    if (const auto transfer = m_transfers.take(deliveryId))
        m_multi.remove(transfer->handle());
}

} // namespace ferry::agent::adapters
