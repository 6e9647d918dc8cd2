#include "console/core/dlqquery.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The filter's fields as the API names them; empty ones left out (an empty reason stays for
// a scope without a recorded reason).
QList<QPair<QString, QString>> fields(const DlqQuery &q)
{
    QList<QPair<QString, QString>> out;
    for (const auto &[key, value] : {std::pair{u"tenant"_s, q.tenant},
                                     {u"channel"_s, q.channel},
                                     {u"reason"_s, q.reason},
                                     {u"status"_s, q.triageStatus}}) {
        if (!value.isEmpty())
            out.append({key, value});
    }
    if (q.reason.isEmpty() && q.withoutReason)
        out.append({u"reason"_s, u""_s});
    if (q.endpoint > 0)
        out.append({u"endpoint"_s, QString::number(q.endpoint)});
    if (q.maxAgeSeconds > 0)
        out.append({u"since"_s, q.since()});
    return out;
}

} // namespace

QString DlqQuery::since() const
{
    if (maxAgeSeconds <= 0)
        return {};
    return QDateTime::currentDateTimeUtc().addSecs(-maxAgeSeconds).toString(Qt::ISODate);
}

QUrlQuery DlqQuery::toUrlQuery(int limit) const
{
    QUrlQuery q;
    q.setQueryItems(fields(*this));
    q.addQueryItem(u"limit"_s, QString::number(limit));
    return q;
}

QJsonObject DlqQuery::toFilterJson() const
{
    QJsonObject o;
    for (const auto &[key, value] : fields(*this)) {
        if (key == "endpoint"_L1)
            o.insert(key, endpoint); // the API takes the route's id as a number
        else
            o.insert(key, value);
    }
    return o;
}

QUrlQuery DlqQuery::toGroupsQuery(int limit) const
{
    QUrlQuery q;
    if (!tenant.isEmpty())
        q.addQueryItem(u"tenant"_s, tenant);
    if (!channel.isEmpty())
        q.addQueryItem(u"channel"_s, channel);
    if (maxAgeSeconds > 0)
        q.addQueryItem(u"since"_s, since());
    q.addQueryItem(u"limit"_s, QString::number(limit));
    return q;
}

} // namespace ferry::console
