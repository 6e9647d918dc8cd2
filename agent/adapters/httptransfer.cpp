#include "agent/adapters/httptransfer.h"

#include "agent/adapters/ssrfguard.h"

#include <QDateTime>
#include <QLocale>
#include <QUrl>

#include <curl/curl.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {
constexpr qsizetype kExcerptBytes = 512;

// libcurl errors after which the request may have reached the receiver with its answer lost.
bool lostAnswer(CURLcode code)
{
    switch (code) {
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

QString reasonFor(CURLcode code)
{
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
        return u"timeout"_s;
    case CURLE_COULDNT_RESOLVE_HOST:
        return u"dns"_s;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        return u"tls"_s;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return u"permanent"_s;
    default:
        return u"connect"_s;
    }
}
} // namespace

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

QByteArray formEncode(const QList<QPair<QByteArray, QByteArray>> &fields)
{
    QByteArray out;
    for (const auto &[name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(QString::fromUtf8(name)) + '=' +
               QUrl::toPercentEncoding(QString::fromUtf8(value));
    }
    return out;
}

QByteArray basicAuthorization(const QString &user, const QString &password)
{
    return "Basic " + QString(user + u':' + password).toUtf8().toBase64();
}

QString HttpResponse::excerpt() const
{
    // Printable text only: a receiver's bytes end up in the database and in operators' terminals.
    QString text = QString::fromUtf8(body.first(std::min(body.size(), kExcerptBytes)));
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = u' ';
    }
    return text.simplified();
}

std::optional<qint64> HttpResponse::retryAfterMs() const
{
    return parseRetryAfter(retryAfter, QDateTime::currentSecsSinceEpoch());
}

Outcome transportFailure(const HttpResponse &response, Outcome::Kind unanswered)
{
    Outcome r;
    const auto code = CURLcode(response.curlCode);
    if (!response.blockedAddress.isEmpty()) {
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"ssrf_blocked"_s;
        r.error =
            u"the endpoint's address %1 is on an internal network; Ferry does not send "
            "there unless webhook.allowed_networks or the tenant's allowed_networks includes it"_s
                .arg(response.blockedAddress);
        return r;
    }
    r.error = response.transportError;
    r.reason = reasonFor(code);
    r.kind = r.reason == u"permanent"_s ? Outcome::Kind::Permanent : Outcome::Kind::Retryable;
    if (unanswered == Outcome::Kind::Unknown && response.requestSent && lostAnswer(code)) {
        r.kind = Outcome::Kind::Unknown;
        r.reason = u"no_response"_s;
        r.error = u"the request was sent but no answer came (%1); it may have been acted on"_s.arg(
            response.transportError);
    }
    return r;
}

HttpTransfer::HttpTransfer(const HttpRequest &request)
    : m_body(request.body)
    , m_maxResponseBytes(request.maxResponseBytes)
    , m_guard(request.guard)
{
    for (const auto &[name, value] : request.headers)
        m_headers = curl_slist_append(m_headers, QByteArray(name + ": " + value).constData());
    m_headers = curl_slist_append(m_headers, "Expect:"); // no 100-continue round trip
    m_easy = curl_easy_init();
    setOptions(request);
}

void HttpTransfer::setOptions(const HttpRequest &request)
{
    const QByteArray url = request.url.toUtf8();
    curl_easy_setopt(m_easy, CURLOPT_URL, url.constData()); // libcurl copies the string
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(m_easy, CURLOPT_HTTPHEADER, m_headers);
    if (request.method == "GET") {
        curl_easy_setopt(m_easy, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(m_easy, CURLOPT_POST, 1L);
        curl_easy_setopt(m_easy, CURLOPT_POSTFIELDS, m_body.constData());
        curl_easy_setopt(m_easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(m_body.size()));
    }
    curl_easy_setopt(m_easy, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(m_easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(m_easy, CURLOPT_PROXY, ""); // no proxy from the environment: see SsrfGuard
    curl_easy_setopt(m_easy, CURLOPT_TIMEOUT_MS, long(request.timeoutMs));
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(m_easy, CURLOPT_HEADERFUNCTION, &HttpTransfer::onHeader);
    curl_easy_setopt(m_easy, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_WRITEFUNCTION, &HttpTransfer::onBody);
    curl_easy_setopt(m_easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, m_errorBuffer);
    curl_easy_setopt(m_easy, CURLOPT_PRIVATE, this);
    if (m_guard) {
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETFUNCTION, &HttpTransfer::onOpenSocket);
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETDATA, this);
    }
}

HttpTransfer::~HttpTransfer()
{
    if (m_easy)
        curl_easy_cleanup(m_easy);
    if (m_headers)
        curl_slist_free_all(m_headers);
}

int HttpTransfer::onOpenSocket(void *self, int purpose, void *address)
{
    auto *t = static_cast<HttpTransfer *>(self);
    auto *a = static_cast<curl_sockaddr *>(address);
    if (purpose == CURLSOCKTYPE_IPCXN && t->m_guard) {
        QHostAddress target;
        target.setAddress(&a->addr);
        if (const QString why = t->m_guard->refusal(target); !why.isEmpty()) {
            t->m_blockedAddress = target.toString() + u", "_s + why + u","_s;
            return CURL_SOCKET_BAD;
        }
    }
    return ::socket(a->family, a->socktype, a->protocol);
}

size_t HttpTransfer::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *t = static_cast<HttpTransfer *>(self);
    const QByteArrayView line(data, qsizetype(size * count));
    if (line.startsWith("HTTP/"))
        t->m_retryAfter.clear(); // a new response (after an interim 1xx)
    else if (line.size() > 12 && line.first(12).compare("retry-after:", Qt::CaseInsensitive) == 0)
        t->m_retryAfter = line.sliced(12).trimmed().toByteArray();
    return size * count;
}

size_t HttpTransfer::onBody(char *data, size_t size, size_t count, void *self)
{
    auto *t = static_cast<HttpTransfer *>(self);
    const qsizetype room = t->m_maxResponseBytes - t->m_response.size();
    if (room > 0)
        t->m_response.append(data, std::min<qsizetype>(room, qsizetype(size * count)));
    return size * count;
}

HttpResponse HttpTransfer::response(int curlCode) const
{
    HttpResponse r;
    r.curlCode = curlCode;
    long status = 0;
    curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    r.status = int(status);
    long requestBytes = 0;
    curl_easy_getinfo(m_easy, CURLINFO_REQUEST_SIZE, &requestBytes);
    r.requestSent = requestBytes > 0;
    r.body = m_response;
    r.retryAfter = m_retryAfter;
    r.blockedAddress = m_blockedAddress;
    if (curlCode != CURLE_OK)
        r.transportError = QString::fromUtf8(
            m_errorBuffer[0] ? m_errorBuffer : curl_easy_strerror(CURLcode(curlCode)));
    return r;
}

} // namespace ferry::agent::adapters
