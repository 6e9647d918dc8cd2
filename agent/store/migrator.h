#pragma once

#include "shared/result.h"

#include <QList>
#include <QString>

namespace ferry::agent::store {

class PgConnection;

struct Migration
{
    int version = 0;
    QString name;
    QByteArray sql;
    QByteArray checksum; // SHA-256 of the file, hex
};

// Applies the numbered SQL files of resources/sql, each in its own transaction, recording each
// in schema_migrations. Several agents starting at once serialise on an advisory lock.
class Migrator
{
public:
    explicit Migrator(PgConnection &db);

    static QList<Migration> bundled();
    static int latestVersion();

    struct Report
    {
        int fromVersion = 0;
        int toVersion = 0;
        QStringList applied;
    };
    Result<Report> migrate();
    // Fails when the database is newer than this build, or has pending migrations.
    Result<void> checkCurrent();
    // How many migrations this build would apply; fails when the database is newer than this
    // build or an applied migration was edited. Changes nothing, takes no lock.
    Result<int> pendingCount();
    Result<int> currentVersion();

private:
    Result<void> ensureTable();
    Result<void> verifyApplied(const QList<Migration> &known);

    PgConnection &m_db;
};

} // namespace ferry::agent::store
