#include "agent/api/resources/liveresource.h"

#include "agent/api/apiserver.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::api::live {

ApiReply upgradeRequired(const ApiRequest &request)
{
    return ApiReply::problem(426, u"upgrade-required"_s, u"WebSocket required"_s,
                             u"connect with a WebSocket client to wss://<host>:<port>%1, sending "
                             "the same Authorization header"_s.arg(request.route.path));
}

} // namespace ferry::agent::api::live
