#pragma once

#include "shared/result.h"

#include <QList>
#include <QString>
#include <QStringList>

struct pg_conn;

namespace ferry::demo {

// The demo's read-only view of the Ferry database: one libpq connection, queries with text
// parameters, every value returned as text.
class DemoDatabase
{
public:
    DemoDatabase() = default;
    ~DemoDatabase();
    DemoDatabase(const DemoDatabase &) = delete;
    DemoDatabase &operator=(const DemoDatabase &) = delete;

    Result<void> open(const QString &url);
    bool isOpen() const { return m_conn != nullptr; }
    Result<QList<QStringList>> query(const char *sql, const QStringList &parameters = {});
    // The first column of the first row as a number (0 when there is no row).
    Result<qint64> count(const char *sql, const QStringList &parameters = {});

private:
    pg_conn *m_conn = nullptr;
};

} // namespace ferry::demo
