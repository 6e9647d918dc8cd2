#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QUrl>

namespace ferry::agent::net {

// One HTTP/1.1 request as the parser read it: the body is complete and within the listener's
// limits; header names keep their case, values are trimmed.
struct HttpRequest
{
    QByteArray method; // as sent: "GET", "POST", …
    QByteArray target; // the request-target, origin-form ("/v1/events?x=1")
    QUrl url;          // the target parsed: path and query
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress remoteAddress;
    quint16 remotePort = 0;
    bool keepAlive = true;       // HTTP/1.1 unless "Connection: close"; HTTP/1.0 if keep-alive
    bool expectContinue = false; // "Expect: 100-continue"

    // The first header of this name (case-insensitive); empty when absent.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool isWebSocketUpgrade() const
    {
        return method == "GET" &&
               QByteArrayView(header("upgrade")).compare("websocket", Qt::CaseInsensitive) == 0;
    }
};

} // namespace ferry::agent::net
