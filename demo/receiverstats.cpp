#include "demo/receiverstats.h"

#include "demo/network.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::demo {

Result<ReceiverStats> ReceiverStats::fetch(quint16 port)
{
    const HttpAnswer a = httpGet("http://127.0.0.1:" + QByteArray::number(port) + "/stats");
    if (a.status != 200)
        return makeError(u"the webhook receiver did not answer GET /stats"_s);
    const QJsonObject o = QJsonDocument::fromJson(a.body).object();
    const auto n = [&o](const char *key) { return o.value(QLatin1StringView(key)).toInteger(); };
    return ReceiverStats{n("requests"),   n("bad_signatures"),       n("failures"),
                         n("deliveries"), n("distinct_webhook_ids"), n("distinct_event_ids"),
                         n("duplicates")};
}

} // namespace ferry::demo
