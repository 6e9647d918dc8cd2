#include "agent/api/resources/auditresource.h"

#include "agent/store/readmodels/apistore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::audit {

ApiReply list(const ApiRequest &request)
{
    const auto limit = request.limit();
    if (!limit)
        return limit.error();
    auto r =
        store::ApiStore(request.db).audit(*limit, request.queryValue(u"before"_s).toLongLong());
    return r ? ApiReply::json(QJsonObject{{u"items"_s, *r}}) : request.storeError(r.error());
}

} // namespace ferry::agent::api::audit
