#pragma once

#include "agent/adapters/adapter.h"

#include <QByteArray>
#include <QHash>
#include <QString>

using CURL = void; // as curl.h declares it
struct curl_slist;

namespace ferry::agent::adapters {

class SsrfGuard;

// One message handed to an SMTP server through libcurl: owns the easy handle, the envelope and
// the message bytes. smtp:// URLs require STARTTLS (libcurl refuses to go on, credentials
// unsent, when the server does not offer it); smtps:// speaks TLS from the first byte.
class SmtpTransfer
{
public:
    struct Setup
    {
        QByteArray url; // smtp://host:port or smtps://host:port
        QByteArray username;
        QByteArray password;
        QByteArray caFile; // a PEM file of CAs to trust instead of the system's
        QByteArray caPem;  // the same, inline
        QByteArray mailFrom;
        QByteArray rcptTo;
        QByteArray message;   // RFC 5322, CRLF line ends
        QString messageId;    // reported as the provider's message id
        qint64 timeoutMs = 0; // the whole conversation
        const SsrfGuard *guard = nullptr;
    };

    explicit SmtpTransfer(Setup setup);
    ~SmtpTransfer();
    SmtpTransfer(const SmtpTransfer &) = delete;
    SmtpTransfer &operator=(const SmtpTransfer &) = delete;

    CURL *handle() const { return m_easy; }
    // Classifies the finished conversation: 250 after the data delivered; 5xx permanent (530,
    // 534, 535 and 538 with reason `auth`); 4xx, refused connections and timeouts retryable;
    // the connection lost or timed out after the message data was sent, unknown.
    Outcome result(int curlCode) const;

private:
    static size_t onRead(char *buffer, size_t size, size_t count, void *self);
    static int onDebug(CURL *easy, int type, char *data, size_t size, void *self);
    static int onOpenSocket(void *self, int purpose, void *address);
    void setOptions();
    void keepReplyLine(QByteArrayView line);
    Outcome transportFailure(int curlCode) const;
    Outcome replyFailure(long status, bool authentication) const;

    Setup m_setup;
    CURL *m_easy = nullptr;
    curl_slist *m_recipients = nullptr;
    qsizetype m_sent = 0;
    QByteArray m_replyLines;          // the server's reply being read (multi-line replies)
    QHash<int, QByteArray> m_replies; // the last complete reply of each code
    char m_errorBuffer[256] = {};
    QString m_blockedAddress; // set when the guard refused to connect
};

} // namespace ferry::agent::adapters
