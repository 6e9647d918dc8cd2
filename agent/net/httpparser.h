#pragma once

#include "agent/net/httplimits.h"
#include "agent/net/httprequest.h"

#include <QString>

namespace ferry::agent::net {

// An incremental, strict HTTP/1.1 request parser (RFC 9112). It holds at most the head limit
// plus one chunk-size line; a body is refused as soon as its declared or counted size passes
// the limit, before it is read. Ambiguous framing (Content-Length with Transfer-Encoding,
// differing lengths, obsolete line folding) is refused: what a proxy in front might read
// differently is never guessed.
class HttpParser
{
public:
    enum class State {
        Head,   // reading the request line and headers
        Body,   // head complete (see request()), reading the body
        Done,   // request complete: take it with takeRequest()
        Failed, // see failure(); the connection must be closed after the answer
    };
    struct Failure
    {
        int status = 400;
        QString slug;
        QString detail;
    };

    explicit HttpParser(const HttpRequestLimits &limits);

    // Reads from `data` and returns how many bytes it used; stops after the head (so that the
    // caller can answer "100 Continue" or refuse early), at the end of the request, or on
    // failure. Bytes after the request belong to the next one.
    qsizetype feed(QByteArrayView data);
    State state() const { return m_state; }
    // True while a request has started (some byte of it arrived) but is not complete.
    bool inProgress() const { return m_state == State::Body || !m_head.isEmpty(); }
    // Body bytes read so far of the current request.
    qint64 bodyBytes() const { return m_request.body.size(); }
    const HttpRequest &request() const { return m_request; }
    const Failure &failure() const { return m_failure; }
    HttpRequest takeRequest();

private:
    enum class BodyMode { None, Length, ChunkSize, ChunkData, ChunkEnd, Trailers };

    qsizetype feedHead(QByteArrayView data);
    qsizetype feedBody(QByteArrayView data);
    qsizetype feedChunkLine(QByteArrayView data);
    bool parseHead();
    bool parseRequestLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    bool decideFraming();
    bool readFramingHeaders(QByteArray *length, QByteArray *encoding);
    bool lengthFraming(const QByteArray &length);
    bool takeChunkSize(QByteArrayView line);
    bool fail(int status, const QString &slug, const QString &detail);

    HttpRequestLimits m_limits;
    State m_state = State::Head;
    BodyMode m_mode = BodyMode::None;
    QByteArray m_head; // the head so far; then the current chunk-size or trailer line
    qint64 m_remaining = 0;
    HttpRequest m_request;
    Failure m_failure;
};

} // namespace ferry::agent::net
