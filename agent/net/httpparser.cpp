#include "agent/net/httpparser.h"

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace ferry::agent::net {

namespace {

constexpr qsizetype kMaxChunkLine = 1024; // a chunk size and its extensions

bool isTokenChar(char c)
{
    static constexpr QByteArrayView kSpecials = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           kSpecials.contains(c);
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isToken(QByteArrayView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

// Field values: visible characters, spaces, tabs and obs-text; no other control character.
bool isFieldValue(QByteArrayView s)
{
    return std::none_of(s.begin(), s.end(), [](char c) {
        const auto u = uchar(c);
        return (u < 0x20 && c != '\t') || u == 0x7f;
    });
}

// "Connection" holds a comma-separated list; true when `option` is one of them.
bool hasOption(QByteArrayView value, QByteArrayView option)
{
    const QList<QByteArray> parts = QByteArray(value.toByteArray()).split(',');
    return std::ranges::any_of(parts, [option](const QByteArray &part) {
        return part.trimmed().compare(option, Qt::CaseInsensitive) == 0;
    });
}

} // namespace

HttpParser::HttpParser(const HttpRequestLimits &limits)
    : m_limits(limits)
{}

HttpRequest HttpParser::takeRequest()
{
    HttpRequest taken = std::move(m_request);
    m_request = {};
    m_head.clear();
    m_state = State::Head;
    m_mode = BodyMode::None;
    return taken;
}

qsizetype HttpParser::feed(QByteArrayView data)
{
    switch (m_state) {
    case State::Head:
        return feedHead(data);
    case State::Body:
        return feedBody(data);
    case State::Done:
    case State::Failed:
        break;
    }
    return 0;
}

bool HttpParser::fail(int status, const QString &slug, const QString &detail)
{
    m_state = State::Failed;
    m_failure = {status, slug, detail};
    return false;
}

// Gathers the head up to its blank line; the search restarts a few bytes before the new data
// so that a terminator split across reads is found.
qsizetype HttpParser::feedHead(QByteArrayView data)
{
    // Blank lines before a request are ignored (RFC 9112 §2.2).
    qsizetype skipped = 0;
    if (m_head.isEmpty()) {
        while (skipped < data.size() && (data[skipped] == '\r' || data[skipped] == '\n'))
            ++skipped;
        data = data.sliced(skipped);
    }
    const qsizetype before = m_head.size();
    const qsizetype room = m_limits.maxHeadBytes - before;
    m_head.append(data.first(std::min(data.size(), room + 1)));
    const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
    if (end < 0) {
        if (m_head.size() > m_limits.maxHeadBytes)
            fail(431, u"header-too-large"_s,
                 u"the request line and headers exceed %1 bytes; send fewer or smaller headers"_s
                     .arg(m_limits.maxHeadBytes));
        return skipped + m_head.size() - before;
    }
    const qsizetype used = end + 4 - before;
    m_head.truncate(end + 2); // each line ends in CRLF
    if (parseHead())
        m_state = m_mode == BodyMode::None ? State::Done : State::Body;
    m_head.clear();
    return skipped + used;
}

bool HttpParser::parseHead()
{
    const QList<QByteArray> lines = m_head.split('\n');
    // Every line ends in CRLF: the split leaves a trailing empty part after the last '\n'.
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (!lines[i].endsWith('\r'))
            return fail(400, u"malformed-request"_s, u"a header line ends without CRLF"_s);
    }
    if (!parseRequestLine(QByteArrayView(lines.first()).chopped(1)))
        return false;
    if (lines.size() - 2 > m_limits.maxHeaders)
        return fail(431, u"header-too-large"_s,
                    u"the request has %1 headers; at most %2 are accepted"_s.arg(lines.size() - 2)
                        .arg(m_limits.maxHeaders));
    for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
        if (!parseHeaderLine(QByteArrayView(lines[i]).chopped(1)))
            return false;
    }
    return decideFraming();
}

bool HttpParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return fail(400, u"malformed-request"_s,
                    u"the request line is not 'METHOD /path HTTP/1.1'"_s);
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method) || !target.startsWith('/') || !isFieldValue(target) ||
        target.contains(' ') || target.contains('\t'))
        return fail(400, u"malformed-request"_s,
                    u"the request line is not 'METHOD /path HTTP/1.1'"_s);
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return fail(
            505, u"http-version-not-supported"_s,
            u"this listener speaks HTTP/1.1 (and 1.0); the request says %1"_s.arg(
                QString::fromLatin1(version.first(std::min<qsizetype>(16, version.size())))));
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    m_request.url = QUrl::fromEncoded(m_request.target);
    m_request.keepAlive = version == "HTTP/1.1";
    return true;
}

bool HttpParser::parseHeaderLine(QByteArrayView line)
{
    if (line.startsWith(' ') || line.startsWith('\t'))
        return fail(400, u"malformed-request"_s,
                    u"folded header lines (obs-fold) are not accepted"_s);
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return fail(400, u"malformed-request"_s,
                    u"a header line is not 'Name: value' (no space before the colon)"_s);
    const QByteArrayView value = line.sliced(colon + 1).trimmed();
    if (!isFieldValue(value))
        return fail(
            400, u"malformed-request"_s,
            u"header %1 holds a control character"_s.arg(QString::fromLatin1(line.first(colon))));
    m_request.headers.append({line.first(colon).toByteArray(), value.toByteArray()});
    return true;
}

// How the body is delimited (RFC 9112 §6.3), and whether it may be this large.
bool HttpParser::decideFraming()
{
    QByteArray length;
    QByteArray encoding;
    if (!readFramingHeaders(&length, &encoding))
        return false;
    if (!encoding.isNull()) {
        if (!length.isNull())
            return fail(400, u"malformed-request"_s,
                        u"send either Content-Length or Transfer-Encoding, not both"_s);
        if (encoding.compare("chunked", Qt::CaseInsensitive) != 0)
            return fail(501, u"not-implemented"_s,
                        u"the only transfer coding accepted is 'chunked'"_s);
        m_mode = BodyMode::ChunkSize;
        return true;
    }
    if (length.isNull())
        return true; // no body
    return lengthFraming(length);
}

// Content-Length (every one must agree), Transfer-Encoding (joined), Connection and Expect.
bool HttpParser::readFramingHeaders(QByteArray *length, QByteArray *encoding)
{
    for (const auto &[name, value] : std::as_const(m_request.headers)) {
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            if (!length->isNull() && *length != value)
                return fail(400, u"malformed-request"_s,
                            u"the request has differing Content-Length headers"_s);
            *length = value;
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            *encoding += encoding->isNull() ? value : ", " + value;
        } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
            if (hasOption(value, "close"))
                m_request.keepAlive = false;
            else if (hasOption(value, "keep-alive"))
                m_request.keepAlive = true;
        } else if (name.compare("expect", Qt::CaseInsensitive) == 0) {
            if (value.compare("100-continue", Qt::CaseInsensitive) != 0)
                return fail(417, u"expectation-failed"_s,
                            u"only 'Expect: 100-continue' is understood"_s);
            m_request.expectContinue = true;
        }
    }
    return true;
}

// A body of Content-Length bytes: a plain decimal number within the body limit.
bool HttpParser::lengthFraming(const QByteArray &length)
{
    bool ok = false;
    const qint64 declared = length.toLongLong(&ok);
    if (!ok || declared < 0 || !std::all_of(length.begin(), length.end(), isDigit))
        return fail(400, u"malformed-request"_s, u"Content-Length is not a number"_s);
    if (declared > m_limits.maxBodyBytes)
        return fail(413, u"payload-too-large"_s,
                    u"the body is %1 bytes; this agent accepts at most %2 bytes per request "
                    "(%3): send smaller requests or split the batch"_s.arg(declared)
                        .arg(m_limits.maxBodyBytes)
                        .arg(QString::fromLatin1(m_limits.bodyLimitKey)));
    m_remaining = declared;
    m_mode = declared > 0 ? BodyMode::Length : BodyMode::None;
    m_request.body.reserve(qsizetype(declared));
    return true;
}

qsizetype HttpParser::feedBody(QByteArrayView data)
{
    qsizetype used = 0;
    while (m_state == State::Body && used < data.size()) {
        const QByteArrayView rest = data.sliced(used);
        switch (m_mode) {
        case BodyMode::Length:
        case BodyMode::ChunkData: {
            const qsizetype n = qsizetype(std::min<qint64>(m_remaining, rest.size()));
            m_request.body.append(rest.first(n));
            m_remaining -= n;
            used += n;
            if (m_remaining == 0 && m_mode == BodyMode::Length)
                m_state = State::Done;
            else if (m_remaining == 0)
                m_mode = BodyMode::ChunkEnd;
            break;
        }
        case BodyMode::ChunkSize:
        case BodyMode::ChunkEnd:
        case BodyMode::Trailers:
            used += feedChunkLine(rest);
            break;
        case BodyMode::None:
            m_state = State::Done;
            break;
        }
    }
    return used;
}

// One line of chunked framing: a chunk size, the CRLF after a chunk's data, or a trailer.
qsizetype HttpParser::feedChunkLine(QByteArrayView data)
{
    const qsizetype lf = data.indexOf('\n');
    const qsizetype take = lf < 0 ? data.size() : lf + 1;
    m_head.append(data.first(take));
    if (m_head.size() > (m_mode == BodyMode::Trailers ? m_limits.maxHeadBytes : kMaxChunkLine)) {
        fail(400, u"malformed-request"_s, u"a chunk-size or trailer line is too long"_s);
        return take;
    }
    if (lf < 0)
        return take;
    if (!m_head.endsWith("\r\n")) {
        fail(400, u"malformed-request"_s, u"a chunked body line ends without CRLF"_s);
        return take;
    }
    const QByteArray line = m_head.chopped(2);
    m_head.clear();
    if (m_mode == BodyMode::ChunkEnd) {
        if (!line.isEmpty())
            fail(400, u"malformed-request"_s, u"a chunk is longer than its size says"_s);
        m_mode = BodyMode::ChunkSize;
    } else if (m_mode == BodyMode::Trailers) {
        if (line.isEmpty())
            m_state = State::Done; // trailers are read and dropped
    } else {
        takeChunkSize(line);
    }
    return take;
}

bool HttpParser::takeChunkSize(QByteArrayView line)
{
    const qsizetype semicolon = line.indexOf(';');
    const QByteArrayView hex = (semicolon < 0 ? line : line.first(semicolon)).trimmed();
    bool ok = hex.size() <= 15 && !hex.isEmpty();
    const qint64 size = ok ? hex.toLongLong(&ok, 16) : 0;
    if (!ok || size < 0 || !std::all_of(hex.begin(), hex.end(), isHexDigit))
        return fail(400, u"malformed-request"_s, u"a chunk size is not a hexadecimal number"_s);
    if (m_request.body.size() + size > m_limits.maxBodyBytes)
        return fail(413, u"payload-too-large"_s,
                    u"the chunked body passes %1 bytes, the most this agent accepts per request "
                    "(%2): send smaller requests or split the batch"_s.arg(m_limits.maxBodyBytes)
                        .arg(QString::fromLatin1(m_limits.bodyLimitKey)));
    m_remaining = size;
    m_mode = size == 0 ? BodyMode::Trailers : BodyMode::ChunkData;
    return true;
}

} // namespace ferry::agent::net
