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
    // A triage group's scope (DLQ inbox, "Open deliveries"): one route, and with an empty
    // reason only the deliveries that died without a recorded one.
    qint64 endpoint = 0; // 0: every route
    bool withoutReason = false;

    QUrlQuery toUrlQuery(int limit) const;
    QJsonObject toFilterJson() const; // for POST /v1/dlq/replay {"filter": …}
    // For GET /v1/dlq/groups, which takes only the tenant, the channel and the age (`since`).
    QUrlQuery toGroupsQuery(int limit) const;
    // The moment maxAgeSeconds reaches back to, ISO 8601 UTC; "" for any age.
    QString since() const;
};

} // namespace ferry::console
