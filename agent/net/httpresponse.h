#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace ferry::agent::net {

// An answer to one request. Content-Length is always sent; "Connection: close" when `close`
// is set or the connection closes after this answer for another reason.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers = {};
    bool close = false;

    // The bytes on the wire; a HEAD request's answer carries the headers only.
    QByteArray serialize(bool closing, bool headOnly) const;
};

} // namespace ferry::agent::net
