#pragma once

#include "agent/store/pgconnection.h"
#include "shared/result.h"

#include <QByteArray>
#include <QList>

namespace ferry::bench {

// One connection of the benchmark's own, for setup and sampling.
class Db
{
public:
    Result<void> open(const QString &url) { return m_pg.open(url); }
    Result<agent::store::PgResult> rows(const char *sql, const QList<QByteArray> &params = {})
    {
        return m_pg.exec(sql, params);
    }
    Result<void> run(const char *sql, const QList<QByteArray> &params = {})
    {
        auto r = m_pg.exec(sql, params);
        if (!r)
            return r.error();
        return {};
    }
    Result<qint64> int64(const char *sql, const QList<QByteArray> &params = {})
    {
        auto r = m_pg.exec(sql, params);
        if (!r)
            return r.error();
        if (r->rows() < 1 || r->isNull(0, 0))
            return qint64(0);
        return r->int64(0, 0);
    }

private:
    agent::store::PgConnection m_pg;
};

} // namespace ferry::bench
