#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>

#include <optional>

namespace ferry::agent::store {

// SLA attainment, delivery search and delivery reports of the TLS API.
// `tenantId` 0 means every tenant (an unscoped token).
class ReportStore
{
public:
    explicit ReportStore(PgConnection &db);

    // SLA per tenant over [from, to): a delivery counts when it was created in the window and
    // is finished or older than the tenant's latency; it is within target when it succeeded
    // within that latency. `at_risk`: unfinished, older than half the latency, not yet past it.
    // Items as in docs/api.md (GET /v1/sla), by tenant name, at most `limit` of them after
    // `afterTenant` (empty: from the first); `window_s` is to − from.
    Result<QJsonArray> sla(qint64 tenantId, const QDateTime &from, const QDateTime &to,
                           const QString &afterTenant = {}, int limit = 1000);

    struct Search
    {
        qint64 scopeTenantId = 0; // the token's tenant; 0: all
        QString tenant;           // tenant name filter
        QString state;
        QString channel;
        qint64 endpointId = 0;
        QDateTime since; // created at or after
        QDateTime until; // created before
        QUuid eventId;
        QString partitionKey;
        int limit = 100;
        // Keyset: continue after (created_at in µs since the epoch, id), newest first.
        std::optional<std::pair<qint64, QUuid>> after;
    };
    struct Page
    {
        QJsonArray items;
        std::optional<std::pair<qint64, QUuid>> next; // set when there may be more
    };
    Result<Page> searchDeliveries(const Search &search);

    struct ReportRow
    {
        QString channel;
        QString state;
        qint64 deliveries = 0;
        // What the billing ledger says the row's messages cost (0 for deliveries that are
        // not messages); unknown while an entry has no cost or the entries mix currencies.
        std::optional<double> cost;
    };
    // Deliveries of one tenant created in [from, to), by channel and state.
    Result<QList<ReportRow>> deliveryReport(qint64 tenantId, const QDateTime &from,
                                            const QDateTime &to);

    struct Outcome
    {
        qint64 deliveries = 0; // all of them, finished or not
        qint64 succeeded = 0;
        qint64 dead = 0;
        qint64 retryableAttempts = 0; // attempts that failed with a retryable outcome
        double spanSeconds = 0;       // from the first created to the last finished
        double p50Seconds = 0;        // created to delivered, succeeded deliveries only
        double p99Seconds = 0;
        QDateTime lastFinished; // invalid while none has finished
    };
    // How every delivery of one tenant ended, and how long the succeeded ones took.
    Result<Outcome> outcome(qint64 tenantId);

    // Open deliveries (pending, in flight or waiting to retry; not those held behind their
    // partition) by tenant name; tenants without any are left out.
    Result<QHash<QString, qint64>> openDeliveriesByTenant();

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
