#include "agent/adapters/mimemessage.h"

#include <QLocale>
#include <QStringView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {

constexpr qsizetype kWordBytes = 42;    // UTF-8 bytes per encoded word: 56 base64 characters
constexpr qsizetype kQpLine = 76;       // quoted-printable line length, soft break included
constexpr qsizetype kPlainHeader = 900; // longer ASCII values are encoded (and folded) too

const QByteArray kCrlf = "\r\n";

// Header values are one line: control characters (CR and LF above all) become spaces, so a
// rendered subject cannot add headers of its own.
QString oneLine(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return out;
}

bool isPrintableAscii(QStringView text)
{
    return std::ranges::all_of(text,
                               [](QChar c) { return c.unicode() >= 0x20 && c.unicode() <= 0x7e; });
}

QByteArray encodedWord(const QByteArray &utf8)
{
    return "=?UTF-8?B?" + utf8.toBase64() + "?=";
}

QByteArray displayName(const QString &name)
{
    const QString line = oneLine(name);
    if (!isPrintableAscii(line))
        return encodeHeaderText(line);
    QString quoted = line;
    quoted.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return '"' + quoted.toLatin1() + '"';
}

QByteArray rfc5322Date(const QDateTime &date)
{
    return QLocale::c().toString(date.toUTC(), u"ddd, dd MMM yyyy HH:mm:ss '+0000'"_s).toLatin1();
}

QByteArray header(const QByteArray &name, const QByteArray &value)
{
    return name + ": " + value + kCrlf;
}

QByteArray envelopeHeaders(const MailContent &c)
{
    QByteArray from = c.fromAddress.toLatin1();
    if (!c.fromName.isEmpty())
        from = displayName(c.fromName) + " <" + from + '>';
    QByteArray out = header("From", from) + header("To", c.to.toLatin1()) +
                     header("Subject", encodeHeaderText(c.subject)) +
                     header("Date", rfc5322Date(c.date)) +
                     header("Message-ID", messageId(c.deliveryId, c.fromAddress));
    if (!c.replyTo.isEmpty())
        out += header("Reply-To", c.replyTo.toLatin1());
    out += header("MIME-Version", "1.0");
    out += header("X-Ferry-Delivery-Id", c.deliveryId.toByteArray(QUuid::WithoutBraces));
    out += header("X-Ferry-Event-Id", c.eventId.toByteArray(QUuid::WithoutBraces));
    return out;
}

QByteArray partHeaders(const QByteArray &subtype)
{
    return header("Content-Type", "text/" + subtype + "; charset=UTF-8") +
           header("Content-Transfer-Encoding", "quoted-printable");
}

QByteArray qpToken(char c, bool lineEnd)
{
    const auto u = uchar(c);
    const bool literal = (u >= 33 && u <= 126 && c != '=') || ((c == ' ' || c == '\t') && !lineEnd);
    if (literal)
        return {1, c};
    return '=' + QByteArray::number(u, 16).toUpper().rightJustified(2, '0');
}

QByteArray qpLine(QByteArrayView line)
{
    QByteArray out;
    qsizetype width = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QByteArray token = qpToken(line[i], i + 1 == line.size());
        // Room for the token plus the "=" of a soft break, unless this is the line's end.
        const qsizetype room = i + 1 == line.size() ? kQpLine : kQpLine - 1;
        if (width + token.size() > room) {
            out += "=\r\n";
            width = 0;
        }
        out += token;
        width += token.size();
    }
    return out;
}

} // namespace

QByteArray messageId(const QUuid &deliveryId, const QString &fromAddress)
{
    const QString domain = fromAddress.section(u'@', -1).toLower();
    return '<' + deliveryId.toByteArray(QUuid::WithoutBraces) + "@ferry." + domain.toLatin1() + '>';
}

QByteArray encodeHeaderText(const QString &text)
{
    const QString line = oneLine(text);
    if (isPrintableAscii(line) && line.size() <= kPlainHeader)
        return line.toLatin1();
    QList<QByteArray> words;
    QByteArray chunk;
    for (qsizetype i = 0; i < line.size();) {
        // One code point at a time, so a word never ends inside a UTF-8 sequence.
        const qsizetype n = line.at(i).isHighSurrogate() && i + 1 < line.size() ? 2 : 1;
        const QByteArray bytes = line.mid(i, n).toUtf8();
        if (chunk.size() + bytes.size() > kWordBytes) {
            words.append(encodedWord(chunk));
            chunk.clear();
        }
        chunk += bytes;
        i += n;
    }
    if (!chunk.isEmpty() || words.isEmpty())
        words.append(encodedWord(chunk));
    return words.join("\r\n ");
}

QByteArray quotedPrintable(const QByteArray &data)
{
    QList<QByteArray> lines;
    for (const QByteArray &line : data.split('\n'))
        lines.append(qpLine(line.endsWith('\r') ? line.chopped(1) : line));
    return lines.join(kCrlf);
}

QByteArray buildMimeMessage(const MailContent &c)
{
    QByteArray out = envelopeHeaders(c);
    if (c.html.isEmpty() || c.text.isEmpty()) {
        const bool html = !c.html.isEmpty();
        out += partHeaders(html ? "html" : "plain") + kCrlf;
        out += quotedPrintable((html ? c.html : c.text).toUtf8()) + kCrlf;
        return out;
    }
    // "=_" never occurs in quoted-printable text, so the boundary cannot appear in a part.
    const QByteArray boundary = "=_ferry_" + c.deliveryId.toRfc4122().toHex();
    out += header("Content-Type", "multipart/alternative; boundary=\"" + boundary + '"') + kCrlf;
    out += "--" + boundary + kCrlf + partHeaders("plain") + kCrlf;
    out += quotedPrintable(c.text.toUtf8()) + kCrlf;
    out += "--" + boundary + kCrlf + partHeaders("html") + kCrlf;
    out += quotedPrintable(c.html.toUtf8()) + kCrlf;
    out += "--" + boundary + "--" + kCrlf;
    return out;
}

bool isPlainAddress(const QString &address)
{
    static const QString localSpecials = u"!#$%&'*+-/=?^_`{|}~."_s;
    const qsizetype at = address.indexOf(u'@');
    if (at <= 0 || at != address.lastIndexOf(u'@') || at + 1 >= address.size() ||
        address.size() > 254 || !isPrintableAscii(address))
        return false;
    for (qsizetype i = 0; i < address.size(); ++i) {
        const QChar c = address.at(i);
        const bool special = i < at ? localSpecials.contains(c) : c == u'-' || c == u'.';
        if (i != at && !c.isLetterOrNumber() && !special)
            return false;
    }
    return true;
}

} // namespace ferry::agent::adapters
