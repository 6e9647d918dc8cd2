#include "demo/demodatabase.h"

#include <libpq-fe.h>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace ferry::demo {

DemoDatabase::~DemoDatabase()
{
    if (m_conn)
        PQfinish(m_conn);
}

Result<void> DemoDatabase::open(const QString &url)
{
    pg_conn *conn = PQconnectdb(url.toUtf8().constData());
    if (PQstatus(conn) != CONNECTION_OK) {
        const QString why = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        PQfinish(conn);
        return makeError(u"cannot connect to the database at %1: %2"_s.arg(url, why));
    }
    m_conn = conn;
    return {};
}

Result<QList<QStringList>> DemoDatabase::query(const char *sql, const QStringList &parameters)
{
    std::vector<QByteArray> values;
    std::vector<const char *> pointers;
    for (const QString &p : parameters)
        values.push_back(p.toUtf8());
    for (const QByteArray &v : values)
        pointers.push_back(v.constData());
    const std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexecParams(m_conn, sql, int(pointers.size()), nullptr, pointers.data(), nullptr, nullptr,
                     0),
        &PQclear);
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK)
        return makeError(u"database query failed: %1"_s.arg(
            QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
    QList<QStringList> rows;
    for (int r = 0; r < PQntuples(result.get()); ++r) {
        QStringList row;
        for (int c = 0; c < PQnfields(result.get()); ++c)
            row.append(QString::fromUtf8(PQgetvalue(result.get(), r, c)));
        rows.append(row);
    }
    return rows;
}

Result<qint64> DemoDatabase::count(const char *sql, const QStringList &parameters)
{
    auto rows = query(sql, parameters);
    if (!rows)
        return rows.error();
    return rows->isEmpty() ? 0 : rows->first().value(0).toLongLong();
}

} // namespace ferry::demo
