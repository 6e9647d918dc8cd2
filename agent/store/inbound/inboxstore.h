#pragma once

#include "agent/store/pgconnection.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace ferry::agent::store {

// A verified inbound request, as it is kept until processed.
struct InboxRequest
{
    qint64 connectorId = 0;
    qint64 tenantId = 0;
    QString dedupeKey; // "id:<provider event id>" or "sha256:<hex of the body>"
    QString providerEventId;
    QString url; // as called
    QString contentType;
    QByteArray body;
};

// A request taken for processing, with its connector.
struct InboxEntry
{
    qint64 id = 0;
    qint64 tenantId = 0;
    QString tenant;
    QString connector;
    QString kind;
    QJsonObject settings;
    QString providerEventId;
    QString url;
    QString contentType;
    QByteArray body;
    int attempts = 0; // including this one
};

// What the API shows of a request.
struct InboxRow
{
    qint64 id = 0;
    QString connector;
    QString providerEventId;
    QString state;
    int attempts = 0;
    QDateTime receivedAt;
    QDateTime processedAt;
    QString lastError;
    QJsonObject outcome;
};

// The inbox of inbound provider webhooks: stored once per provider event, then processed by
// whichever agent claims it first (a claim is a lease: a crashed worker's entries come back).
class InboxStore
{
public:
    explicit InboxStore(PgConnection &db);

    // Stores a request unless its connector already has one with the same dedupe key; the id
    // of the stored request either way.
    Result<std::pair<qint64, bool>> receive(const InboxRequest &request);
    // Up to `limit` due requests, leased for `leaseMs`.
    Result<QList<InboxEntry>> claim(int limit, qint64 leaseMs);
    Result<void> finish(qint64 id, const QJsonObject &outcome);
    Result<void> retry(qint64 id, qint64 delayMs, const QString &error);
    Result<void> bury(qint64 id, const QString &error, const QJsonObject &outcome = {});
    // A tenant's requests, newest first; `state` empty for all.
    Result<QList<InboxRow>> list(qint64 tenantId, const QString &state, int limit);
    // Dead requests of a tenant back to pending, due now; how many.
    Result<qint64> replay(qint64 tenantId, const QList<qint64> &ids);

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
