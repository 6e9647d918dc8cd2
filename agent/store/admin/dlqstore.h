#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QUuid>

namespace ferry::agent::store {

struct DeadDelivery
{
    QUuid id;
    QString tenant;
    QUuid eventId;
    QString eventType;
    qint64 endpointId = 0;
    QString endpointName; // the route's name; empty: unnamed
    QString url;
    QString channel; // the route's: webhook, email, sms, whatsapp, push
    int attempts = 0;
    QString reason;
    QString lastError;
    QDateTime finishedAt;
    QString triageStatus;
    QString assignee;
};

// Which dead deliveries an operator means. Empty fields match everything.
struct DlqFilter
{
    QString tenant;
    qint64 endpointId = 0;
    QString channel;
    QString reason;
    QDateTime since;
    QDateTime until;
    QString triageStatus;
    int limit = 50;
    // With an empty `reason`: only deliveries that died without a recorded reason (the API's
    // "reason": ""), so that a group of GET /v1/dlq/groups is matched exactly.
    bool noReason = false;
};

// Dead deliveries of one route that died for one reason (GET /v1/dlq/groups).
struct DlqGroup
{
    QString tenant;
    qint64 endpointId = 0;
    QString endpointName; // the route's name; empty: unnamed
    QString channel;
    QString url; // the route's target, whole: the API masks it by role
    bool enabled = true;
    QString breaker; // the route's circuit breaker: closed | open | half_open
    QString reason;  // empty: none was recorded
    qint64 count = 0;
    QDateTime firstSeen; // the first and the last of them to die
    QDateTime lastSeen;
    QString lastError; // the newest one's
};

struct DeliveryDetail
{
    DeadDelivery summary;
    QString state;
    QString partitionKey;
    QByteArray payload; // the event, as stored
    struct Attempt
    {
        int attempt = 0;
        QDateTime startedAt;
        QString outcome;
        int statusCode = 0;
        QString error;
        qint64 durationMs = 0;
        QString output; // what an exec job printed; null for other channels
    };
    QList<Attempt> attempts;
    struct Note
    {
        QDateTime at;
        QString actor;
        QString text;
    };
    QList<Note> notes;
};

// The dead-letter workflow: list, inspect, replay (by ids or by filter, with a dry run),
// discard, annotate. Every action is written to the audit log in its own transaction.
class DlqStore
{
public:
    DlqStore(PgConnection &db, QString actor);

    Result<QList<DeadDelivery>> list(const DlqFilter &filter);
    // Dead deliveries grouped by tenant, route and reason, the largest groups first (at most
    // filter.limit groups).
    Result<QList<DlqGroup>> groups(const DlqFilter &filter);
    Result<DeliveryDetail> show(const QUuid &id);

    // Queues dead deliveries again (attempts start over). A delivery that is not dead is left
    // alone, so replaying twice queues once. Returns how many were queued.
    Result<qint64> replay(const QList<QUuid> &ids);
    // With dryRun, only counts what would be replayed.
    Result<qint64> replayMatching(const DlqFilter &filter, bool dryRun);
    Result<qint64> discard(const QList<QUuid> &ids, const QString &reason);
    Result<void> annotate(const QUuid &id, const QString &note, const QString &assignee,
                          const QString &triageStatus);

private:
    // One audit record per row of `deliveries` (id, tenant name), all with the same details.
    Result<void> audit(const QString &action, const PgResult &deliveries,
                       const QJsonObject &details);

    PgConnection &m_db;
    QString m_actor;
};

} // namespace ferry::agent::store
