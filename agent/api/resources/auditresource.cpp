#include "agent/api/resources/auditresource.h"

#include "agent/store/readmodels/apistore.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::audit {

ApiReply list(const ApiRequest &request)
{
    const int limit =
        request.hasQueryValue(u"limit"_s) ? request.queryValue(u"limit"_s).toInt() : 100;
    auto r = store::ApiStore(request.db)
                 .audit(std::clamp(limit, 1, 1000), request.queryValue(u"before"_s).toLongLong());
    return r ? ApiReply::json(QJsonObject{{u"items"_s, *r}}) : request.storeError(r.error());
}

} // namespace ferry::agent::api::audit
