#pragma once

#include <QtGlobal>

namespace ferry::agent::net {

// What a client may make a listener hold for one request.
struct HttpRequestLimits
{
    qsizetype maxHeadBytes = qsizetype(16) * 1024; // request line and headers together
    int maxHeaders = 100;
    qint64 maxBodyBytes = 1 << 20;
    const char *bodyLimitKey = "http.max_body_bytes"; // named in the 413 answer
};

// What one listener lets clients hold, before and after they authenticate.
struct HttpServerLimits
{
    HttpRequestLimits request;
    int maxConnections = 4096;
    int maxConnectionsPerAddress = 256;
    qint64 headerTimeoutMs = 10000;  // the head of a request, from its first byte
    qint64 bodyTimeoutMs = 10000;    // a body advancing by less than kBodyProgressBytes
    qint64 idleTimeoutMs = 60000;    // keep-alive between requests; a reader that stops reading
    int maxPipelined = 16;           // requests read ahead of their answers
    qint64 maxUnsentBytes = 1 << 20; // answers queued for a slow reader before reading pauses
    static constexpr qint64 kBodyProgressBytes = 4096;
};

} // namespace ferry::agent::net
