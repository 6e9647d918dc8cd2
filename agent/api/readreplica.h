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
// a lagging or lost standby slows no one down and hides nothing older than the operator allows.
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

private:
    Choice fallBack(store::PgConnection &primary, const QString &why);

    QString m_url;
    qint64 m_maxLagMs = 0;
    int m_connectTimeoutSeconds = 5;
    store::PgConnection m_db;
    QString m_lastWhy; // logged once per change
};

} // namespace ferry::agent::api
