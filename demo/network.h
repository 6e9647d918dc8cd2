#pragma once

#include <QByteArray>

namespace ferry::demo {

// Whether a local TCP port can be listened on now.
bool portIsFree(quint16 port);
// A local TCP port that is free now.
quint16 freePort();

struct HttpAnswer
{
    long status = 0; // 0: no answer
    QByteArray body;
};

// A blocking GET of a local URL, given up after 2 s.
HttpAnswer httpGet(const QByteArray &url);

} // namespace ferry::demo
