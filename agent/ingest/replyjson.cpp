#include "agent/ingest/replyjson.h"

#include "agent/ingest/batchwriter.h"
#include "shared/ingestanswer.h"
#include "shared/problem.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::ingest {

QPair<int, QJsonObject> replyObject(const IngestReply &reply)
{
    QJsonObject o;
    switch (reply.status) {
    case IngestReply::Status::Accepted:
    case IngestReply::Status::Duplicate: {
        const bool dup = reply.status == IngestReply::Status::Duplicate;
        o.insert(wire::kEventId, reply.eventId.toString(QUuid::WithoutBraces));
        o.insert(wire::kDuplicate, dup);
        return {dup ? wire::kStatusDuplicate : wire::kStatusAccepted, o};
    }
    case IngestReply::Status::Conflict: {
        auto p = Problem::make(422, u"idempotency-conflict"_s,
                               u"Idempotency key reused with different content"_s, reply.message);
        p.extra.insert(wire::kEventId, reply.eventId.toString(QUuid::WithoutBraces));
        return {422, QJsonDocument::fromJson(p.toJson()).object()};
    }
    case IngestReply::Status::Unauthorized:
        return {401, QJsonDocument::fromJson(
                         Problem::make(401, u"unauthorized"_s, u"Not authenticated"_s,
                                       reply.message + u"; send 'Authorization: Bearer <producer "
                                                       "token>' as printed by 'ferry-agent "
                                                       "tenant create'"_s)
                             .toJson())
                         .object()};
    case IngestReply::Status::Unavailable:
        return {503, QJsonDocument::fromJson(
                         Problem::make(503, u"store-unavailable"_s, u"Event store unavailable"_s,
                                       reply.message + u"; retry with the same id later"_s)
                             .toJson())
                         .object()};
    case IngestReply::Status::RateLimited: {
        auto p = Problem::make(429, u"quota-exceeded"_s, u"Tenant quota exceeded"_s, reply.message);
        p.extra.insert(wire::kRetryAfter, reply.retryAfterSeconds);
        return {429, QJsonDocument::fromJson(p.toJson()).object()};
    }
    case IngestReply::Status::Refused:
        return {400, QJsonDocument::fromJson(Problem::make(400, u"refused-by-store"_s,
                                                           u"Event refused"_s, reply.message)
                                                 .toJson())
                         .object()};
    case IngestReply::Status::SchemaMismatch: {
        auto p = Problem::make(422, u"schema-mismatch"_s, u"Event does not match its schema"_s,
                               reply.message);
        p.extra = reply.members;
        return {422, QJsonDocument::fromJson(p.toJson()).object()};
    }
    case IngestReply::Status::TenantDisabled:
        return {403, QJsonDocument::fromJson(Problem::make(403, u"tenant-disabled"_s,
                                                           u"Tenant disabled"_s, reply.message)
                                                 .toJson())
                         .object()};
    case IngestReply::Status::TooLarge:
        return {413, QJsonDocument::fromJson(
                         Problem::make(413, u"payload-too-large"_s, u"Event too large"_s,
                                       reply.message + u"; send a smaller event"_s)
                             .toJson())
                         .object()};
    }
    return {500, o};
}

} // namespace ferry::agent::ingest
