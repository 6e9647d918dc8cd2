#pragma once

#include "agent/store/pgconnection.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace ferry::agent::api {

// The API's connection to a read-only standby (database.read_url) for the routes whose heavy
// reads may lag a little (RouteInfo::Reads::Replica): delivery search, reports, SLA windows.
// Each such request reads from the standby while its data is at most database.read_max_lag old,
// and from the primary otherwise (standby unreachable, too far behind, or not a standby), so
// a lagging or lost standby hides nothing older than the operator allows. The API answers one
// request at a time: after a standby failed, requests go to the primary for kRetryStandbyMs
// before it is tried again, so one that vanished costs one slow request (a connection attempt,
// at most 2 s, or a query on a dead connection, up to the 20 s TCP user timeout) per period.
class ReadReplica
{
public:
    ReadReplica(QString url, qint64 maxLagMs, int connectTimeoutSeconds, qint64 readTimeoutMs);

    // Where one request reads, and what its answer says about that (Ferry-Data-Source,
    // Ferry-Data-Age).
    struct Choice
    {
        store::PgConnection *db = nullptr;
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    Choice choose(store::PgConnection &primary);

    static constexpr qint64 kRetryStandbyMs = 30000;

private:
    Choice fallBack(store::PgConnection &primary, const QString &why);
    // Falls back and leaves the standby alone for kRetryStandbyMs.
    Choice failed(store::PgConnection &primary, const QString &why);

    QString m_url;
    qint64 m_maxLagMs = 0;
    int m_connectTimeoutSeconds = 5;
    store::PgConnection m_db;
    QString m_lastWhy;           // logged once per change
    qint64 m_retryStandbyAt = 0; // QDeadlineTimer clock
};

} // namespace ferry::agent::api
