#include "console/core/dlqquery.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The filter's fields as the API names them; empty ones left out.
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
    if (q.maxAgeSeconds > 0)
        out.append(
            {u"since"_s,
             QDateTime::currentDateTimeUtc().addSecs(-q.maxAgeSeconds).toString(Qt::ISODate)});
    return out;
}

} // namespace

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
    for (const auto &[key, value] : fields(*this))
        o.insert(key, value);
    return o;
}

} // namespace ferry::console
