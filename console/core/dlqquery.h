#pragma once

#include <QString>

class QJsonObject;
class QUrlQuery;

namespace ferry::console {

// What the DLQ inbox is filtered by: used by the proxy model on screen, by the list request
// and by "replay by filter", so all three mean the same deliveries.
struct DlqQuery
{
    QString tenant;
    QString channel;
    QString reason;
    QString triageStatus;     // new | investigating | resolved
    qint64 maxAgeSeconds = 0; // 0: any age

    QUrlQuery toUrlQuery(int limit) const;
    QJsonObject toFilterJson() const; // for POST /v1/dlq/replay {"filter": …}
};

} // namespace ferry::console
