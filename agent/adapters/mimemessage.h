#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUuid>

namespace ferry::agent::adapters {

// One email as Ferry sends it: the envelope's addresses are plain ASCII addr-specs, checked by
// the caller (isPlainAddress); every other field may hold any Unicode text.
struct MailContent
{
    QString fromAddress;
    QString fromName; // empty: no display name
    QString to;
    QString replyTo; // empty: no Reply-To
    QString subject;
    QString text;
    QString html; // empty: a text/plain message only
    QUuid deliveryId;
    QUuid eventId;
    QDateTime date;
};

// The RFC 5322 message of `content`, lines ending in CRLF: From, To, Subject (RFC 2047
// encoded words when it is not plain ASCII), Date, Message-ID (messageId()), MIME-Version and
// X-Ferry-Delivery-Id / X-Ferry-Event-Id, then a multipart/alternative body with a text/plain
// and a text/html part, or a text/plain body alone when there is no HTML. Parts are UTF-8 in
// quoted-printable. The same delivery gives the same Message-ID and boundary on every attempt.
QByteArray buildMimeMessage(const MailContent &content);

// "<{delivery id}@ferry.{domain of the from address}>": a retry of a delivery is recognisable
// as the same message.
QByteArray messageId(const QUuid &deliveryId, const QString &fromAddress);

// `text` as a header value: itself when it is printable ASCII, otherwise RFC 2047 encoded
// words (UTF-8, base64), folded so no line is longer than 76 characters.
QByteArray encodeHeaderText(const QString &text);

// `data` in quoted-printable (RFC 2045), line breaks (LF or CRLF) kept as CRLF.
QByteArray quotedPrintable(const QByteArray &data);

// True when `address` is an ASCII addr-spec Ferry can put in the envelope and the headers:
// local@domain, no spaces, angle brackets, quotes or control characters.
bool isPlainAddress(const QString &address);

} // namespace ferry::agent::adapters
