#pragma once

#include "agent/store/admin/credentialstore.h"
#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

#include <optional>

namespace ferry::agent::store {

// A message to ask its provider about, with the provider account it was sent through (sealed).
struct ReconcileCandidate
{
    QString deliveryId;
    qint64 tenantId = 0;
    QString channel;
    QString providerMessageId;
    QString status; // what Ferry believes
    int rank = 0;
    SealedCredential credential;
    QString provider;
    QString baseUrl;
};

// One run of the reconciler, as the API shows it.
struct ReconcileRun
{
    qint64 id = 0;
    QString tenant; // empty: every tenant
    QString trigger;
    QString requestedBy;
    QDateTime requestedAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    int checked = 0;
    int drifts = 0;
    int failures = 0;
    QString error;
};

// A drift a run found: what Ferry believed, what the provider said, and what was done.
struct ReconcileDrift
{
    qint64 runId = 0;
    QString tenant;
    QString deliveryId;
    QString channel;
    QString providerMessageId;
    QString believed;
    QString providerSaid;
    QString action;
    QDateTime foundAt;
};

// The reconciler's SQL: runs (scheduled, or requested through the API), the messages still
// without a final receipt, and the drifts found.
class ReconcileStore
{
public:
    explicit ReconcileStore(PgConnection &db);

    // A run for the API to wait on; any agent's reconciler takes it within a second or so.
    Result<qint64> request(std::optional<qint64> tenantId, const QString &actor);
    // The oldest requested run no reconciler has taken, now taken; nothing when none waits.
    Result<std::optional<std::pair<qint64, std::optional<qint64>>>> takeRequest();
    Result<qint64> startScheduled();
    // Messages of `channels` without a final receipt, accepted (or last asked about) more than
    // `afterMs` ago and less than `maxAgeMs` ago, oldest first.
    Result<QList<ReconcileCandidate>> candidates(std::optional<qint64> tenantId,
                                                 const QStringList &channels, qint64 afterMs,
                                                 qint64 maxAgeMs, int limit);
    Result<void> markChecked(const QString &deliveryId);
    Result<void> recordDrift(qint64 runId, const ReconcileCandidate &c, const QString &providerSaid,
                             const QString &action);
    Result<void> finish(qint64 runId, int checked, int drifts, int failures, const QString &error);

    Result<std::optional<ReconcileRun>> run(qint64 runId);
    // Recent runs, newest first; `tenantIds` empty: every tenant's and the global ones.
    Result<QList<ReconcileRun>> runs(const QList<qint64> &tenantIds, int limit);
    Result<QList<ReconcileDrift>> drifts(const QList<qint64> &tenantIds,
                                         std::optional<qint64> runId, int limit);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
