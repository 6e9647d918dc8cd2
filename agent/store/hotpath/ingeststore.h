#pragma once

#include "agent/store/pgconnection.h"

#include <QHash>
#include <QList>
#include <QUuid>

namespace ferry::agent::store {

// One accepted, validated event on its way into the database.
struct IngestItem
{
    qint64 tenantId = 0;
    QString key; // the dedupe key: Idempotency-Key, or source + id
    QByteArray contentHash;
    QString source;
    QString ceId;
    QString type;
    QString partitionKey;
    QString schemaVersion; // `schemaversion`, else `dataschema`; empty: none
    QByteArray payload;    // canonical JSON of the CloudEvent
};

struct IngestOutcome
{
    enum class Kind { Accepted, Duplicate, Conflict, DailyQuotaExceeded };
    Kind kind = Kind::Accepted;
    QUuid eventId; // for Duplicate and Conflict: the event that holds the key
};

// The SQL of the ingest path: token lookup and the group commit of a batch of events together
// with their deliveries (routed by RoutingStore in the same transaction and statement).
class IngestStore
{
public:
    explicit IngestStore(PgConnection &db);

    // Maps token hashes to tenant ids for tokens that exist and are not revoked.
    Result<QHash<QByteArray, qint64>> resolveTokens(const QList<QByteArray> &hashes);
    // Maps token hashes to their tenant's name, likewise (database.partitions: which database
    // holds a producer's tenant).
    Result<QHash<QByteArray, QString>> tokenTenantNames(const QList<QByteArray> &hashes);

    struct TenantLimits
    {
        qint64 eventsPerSecond = 0; // 0: unlimited, here and below
        qint64 eventsPerDay = 0;
        qint64 maxPayloadBytes = 0;
        bool strictSchemas = false; // events of registered types must match their schema
        bool disabled = false;      // an admin disabled the tenant: producers' events are refused
        QString name;               // for the refusal's message
    };
    Result<QHash<qint64, TenantLimits>> loadLimits(const QList<qint64> &tenantIds);

    struct BatchResult
    {
        QList<IngestOutcome> outcomes; // parallel to the input
        qint64 deliveriesCreated = 0;
    };
    // Commits all items in one transaction. Items sharing a (tenant, key) are resolved in
    // order: the first wins, later ones are duplicates or conflicts of it.
    // `dailyLimits` holds the tenants with a daily event quota: new events beyond it are
    // answered DailyQuotaExceeded and not stored (usage is counted in tenant_usage).
    // `notifyPayload`: when set and deliveries were created, a pg_notify on the channel
    // `ferry_work` goes out with the commit, so other agents' dispatchers wake up.
    Result<BatchResult> commitBatch(const QList<IngestItem> &items,
                                    const QHash<qint64, qint64> &dailyLimits = {},
                                    const QByteArray &notifyPayload = {});

private:
    Result<BatchResult> runBatch(const QList<IngestItem> &items,
                                 const QHash<qint64, qint64> &dailyLimits);
    // The steps of runBatch, in order; each a statement at most.
    struct Candidates;
    static Candidates candidates(const QList<IngestItem> &items);
    Result<void> insertKeys(const QList<IngestItem> &items, Candidates &c);
    Result<void> applyDailyQuotas(Candidates &c, const QHash<qint64, qint64> &dailyLimits);
    Result<void> dropOverQuota(Candidates &c, QHash<qint64, qint64> &room);
    Result<void> countUsage(const Candidates &c, const QHash<qint64, qint64> &dailyLimits);
    Result<void> findExisting(Candidates &c);
    // The new events, stored and routed (RoutingStore); returns the deliveries created.
    Result<qint64> insertEvents(const QList<IngestItem> &items, const Candidates &c);
    static Result<void> outcomes(const QList<IngestItem> &items, const Candidates &c,
                                 QList<IngestOutcome> &out);

    PgConnection &m_db;
};

} // namespace ferry::agent::store
