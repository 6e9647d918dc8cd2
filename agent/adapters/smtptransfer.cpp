#include "agent/adapters/smtptransfer.h"

#include "agent/adapters/ssrfguard.h"

#include <cstring>

#include <curl/curl.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {

constexpr qsizetype kReplyBytes = 512;
constexpr long kDataAccepted = 354; // "start mail input": the message data follows

// Printable text only: a server's bytes end up in the database and in operators' terminals.
QString printable(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes);
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = u' ';
    }
    return text.simplified();
}

bool isAuthReply(long status)
{
    return status == 530 || status == 534 || status == 535 || status == 538;
}

} // namespace

SmtpTransfer::SmtpTransfer(Setup setup)
    : m_setup(std::move(setup))
{
    m_recipients = curl_slist_append(nullptr, ('<' + m_setup.rcptTo + '>').constData());
    m_easy = curl_easy_init();
    setOptions();
}

SmtpTransfer::~SmtpTransfer()
{
    if (m_easy)
        curl_easy_cleanup(m_easy);
    if (m_recipients)
        curl_slist_free_all(m_recipients);
}

void SmtpTransfer::setOptions()
{
    // libcurl copies the strings it is given.
    curl_easy_setopt(m_easy, CURLOPT_URL, m_setup.url.constData());
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(m_easy, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    if (!m_setup.username.isEmpty()) {
        curl_easy_setopt(m_easy, CURLOPT_USERNAME, m_setup.username.constData());
        curl_easy_setopt(m_easy, CURLOPT_PASSWORD, m_setup.password.constData());
    }
    if (!m_setup.caFile.isEmpty())
        curl_easy_setopt(m_easy, CURLOPT_CAINFO, m_setup.caFile.constData());
    if (!m_setup.caPem.isEmpty()) {
        curl_blob blob{m_setup.caPem.data(), size_t(m_setup.caPem.size()), CURL_BLOB_COPY};
        curl_easy_setopt(m_easy, CURLOPT_CAINFO_BLOB, &blob);
    }
    const QByteArray from = '<' + m_setup.mailFrom + '>';
    curl_easy_setopt(m_easy, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(m_easy, CURLOPT_MAIL_RCPT, m_recipients);
    curl_easy_setopt(m_easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(m_easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(m_setup.message.size()));
    curl_easy_setopt(m_easy, CURLOPT_READFUNCTION, &SmtpTransfer::onRead);
    curl_easy_setopt(m_easy, CURLOPT_READDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_PROXY, ""); // no proxy from the environment: see SsrfGuard
    curl_easy_setopt(m_easy, CURLOPT_TIMEOUT_MS, long(m_setup.timeoutMs));
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L);
    // The debug callback is how the server's reply lines are read; nothing is printed.
    curl_easy_setopt(m_easy, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(m_easy, CURLOPT_DEBUGFUNCTION, &SmtpTransfer::onDebug);
    curl_easy_setopt(m_easy, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, m_errorBuffer);
    curl_easy_setopt(m_easy, CURLOPT_PRIVATE, this);
    if (m_setup.guard) {
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETFUNCTION, &SmtpTransfer::onOpenSocket);
        curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETDATA, this);
    }
}

size_t SmtpTransfer::onRead(char *buffer, size_t size, size_t count, void *self)
{
    auto *t = static_cast<SmtpTransfer *>(self);
    const qsizetype n =
        std::min<qsizetype>(qsizetype(size * count), t->m_setup.message.size() - t->m_sent);
    std::memcpy(buffer, t->m_setup.message.constData() + t->m_sent, size_t(n));
    t->m_sent += n;
    return size_t(n);
}

int SmtpTransfer::onDebug(CURL * /*handle*/, int type, char *data, size_t size, void *self)
{
    // Only what the server said: CURLINFO_HEADER_OUT would carry the AUTH exchange.
    if (type != CURLINFO_HEADER_IN)
        return 0;
    auto *t = static_cast<SmtpTransfer *>(self);
    for (const QByteArray &raw : QByteArray::fromRawData(data, qsizetype(size)).split('\n')) {
        const QByteArray line = raw.trimmed();
        if (!line.isEmpty())
            t->keepReplyLine(line);
    }
    return 0;
}

void SmtpTransfer::keepReplyLine(QByteArrayView line)
{
    // "250-first line", "250-…", "250 last line": a reply ends at the line whose fourth
    // character is not a hyphen.
    if (m_replyLines.size() < kReplyBytes)
        m_replyLines += (m_replyLines.isEmpty() ? QByteArray() : QByteArray(" ")) +
                        line.first(std::min<qsizetype>(line.size(), kReplyBytes)).toByteArray();
    if (line.size() > 3 && line[3] == '-')
        return;
    // By code: libcurl's last response code is not always the last reply (QUIT follows a
    // refusal).
    m_replies.insert(line.first(std::min<qsizetype>(3, line.size())).toInt(),
                     std::exchange(m_replyLines, {}));
}

int SmtpTransfer::onOpenSocket(void *self, int purpose, void *address)
{
    auto *t = static_cast<SmtpTransfer *>(self);
    auto *a = static_cast<curl_sockaddr *>(address);
    QHostAddress target;
    target.setAddress(&a->addr);
    const QString why =
        purpose == CURLSOCKTYPE_IPCXN ? t->m_setup.guard->refusal(target) : QString();
    if (!why.isEmpty()) {
        t->m_blockedAddress = target.toString() + u", "_s + why + u","_s;
        return CURL_SOCKET_BAD;
    }
    return ::socket(a->family, a->socktype, a->protocol);
}

Outcome SmtpTransfer::result(int curlCode) const
{
    long status = 0;
    curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    Outcome r;
    r.statusCode = int(status);
    if (curlCode == CURLE_OK) {
        r.kind = Outcome::Kind::Delivered;
        r.providerMessageId = m_setup.messageId;
        return r;
    }
    if (!m_blockedAddress.isEmpty()) {
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"ssrf_blocked"_s;
        r.error =
            u"the SMTP server's address %1 is on an internal network; Ferry does not "
            "send there unless webhook.allowed_networks or the tenant's allowed_networks includes it"_s
                .arg(m_blockedAddress);
        return r;
    }
    if (status == kDataAccepted) {
        // The message went out and no final reply came: the server may have queued it.
        r.kind = Outcome::Kind::Unknown;
        r.reason = curlCode == CURLE_OPERATION_TIMEDOUT ? u"timeout"_s : u"no_response"_s;
        r.error = u"the connection ended after the message was sent and before the server "
                  "answered (%1); the retry carries the same Message-ID"_s.arg(QString::fromUtf8(
                      m_errorBuffer[0] ? m_errorBuffer : curl_easy_strerror(CURLcode(curlCode))));
        return r;
    }
    const bool refusedLogin = curlCode == CURLE_LOGIN_DENIED && (status < 400 || status >= 500);
    if (status >= 400 || refusedLogin)
        return replyFailure(status, refusedLogin || isAuthReply(status));
    return transportFailure(curlCode);
}

Outcome SmtpTransfer::replyFailure(long status, bool authentication) const
{
    Outcome r;
    r.statusCode = int(status);
    const QString reply = printable(m_replies.value(int(status)));
    r.error = reply.isEmpty() ? u"SMTP %1"_s.arg(status) : u"SMTP "_s + reply;
    if (authentication) {
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"auth"_s;
        r.error += u" (check the smtp credential's username and password)"_s;
        return r;
    }
    r.kind = status >= 500 ? Outcome::Kind::Permanent : Outcome::Kind::Retryable;
    r.reason = status >= 500 ? u"smtp_5xx"_s : u"smtp_4xx"_s;
    return r;
}

Outcome SmtpTransfer::transportFailure(int curlCode) const
{
    Outcome r;
    const auto code = CURLcode(curlCode);
    r.kind = Outcome::Kind::Retryable;
    r.error = QString::fromUtf8(m_errorBuffer[0] ? m_errorBuffer : curl_easy_strerror(code));
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
        r.reason = u"timeout"_s;
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        r.reason = u"dns"_s;
        break;
    case CURLE_USE_SSL_FAILED:
        r.error = u"the SMTP server does not offer STARTTLS; Ferry sends neither credentials "
                  "nor mail in clear (use smtps:// if the server speaks TLS from the start)"_s;
        r.reason = u"tls"_s;
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

} // namespace ferry::agent::adapters
