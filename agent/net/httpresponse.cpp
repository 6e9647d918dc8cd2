#include "agent/net/httpresponse.h"

#include "shared/httpstatus.h"

namespace ferry::agent::net {

QByteArray HttpResponse::serialize(bool closing, bool headOnly) const
{
    QByteArray out;
    out.reserve(160 + (headOnly ? 0 : body.size()));
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    if (status != 204)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    if (closing)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!headOnly && status != 204)
        out += body;
    return out;
}

} // namespace ferry::agent::net
