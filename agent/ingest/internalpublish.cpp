#include "agent/ingest/internalpublish.h"

#include "agent/ingest/writerequest.h"
#include "shared/cloudevent.h"

#include <future>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

Result<IngestReply> publishAndWait(BatchWriter &writer, qint64 tenantId, const QJsonObject &json)
{
    auto event = CloudEvent::fromJson(json);
    if (!event)
        return event.error();
    auto promise = std::make_shared<std::promise<IngestReply>>();
    auto reply = promise->get_future();
    std::vector<WriteRequest> requests;
    requests.push_back(makeWriteRequest(*event, {}, tenantId, {}));
    requests.back().done = [promise](const IngestReply &r) { promise->set_value(r); };
    requests.back().agentMade = true;
    if (!writer.submit(std::move(requests)))
        return makeError(u"the ingest queue is full"_s, 503);
    IngestReply r = reply.get();
    using S = IngestReply::Status;
    if (r.status == S::Accepted || r.status == S::Duplicate)
        return r;
    int code = 503;
    switch (r.status) {
    case S::Conflict:
        code = 409;
        break;
    case S::RateLimited:
        code = 429;
        break;
    case S::TooLarge:
        code = 413;
        break;
    case S::Refused:
        code = 400;
        break;
    case S::SchemaMismatch:
        code = 422;
        break;
    case S::TenantDisabled:
        code = 403;
        break;
    default:
        break;
    }
    return makeError(u"the event was not stored: %1"_s.arg(r.message), code);
    return r;
}

} // namespace ferry::agent::ingest
