#include "agent/store/migrator.h"

#include "agent/app/logging.h"
#include "agent/store/pgconnection.h"

#include <QCryptographicHash>

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {
// Arbitrary, fixed: the advisory lock key that serialises migrations across agents.
constexpr const char *kMigrationLock = "SELECT pg_advisory_lock(7316001)";
constexpr const char *kMigrationUnlock = "SELECT pg_advisory_unlock(7316001)";
} // namespace

Migrator::Migrator(PgConnection &db)
    : m_db(db)
{}

QList<Migration> Migrator::bundled()
{
    QList<Migration> out;
    const QDir dir(u":/ferry/sql"_s);
    const auto files = dir.entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        Migration m;
        m.version = file.section(u'_', 0, 0).toInt();
        m.name = file;
        m.sql = f.readAll();
        m.checksum = QCryptographicHash::hash(m.sql, QCryptographicHash::Sha256).toHex();
        out.append(m);
    }
    return out;
}

int Migrator::latestVersion()
{
    const auto all = bundled();
    return all.isEmpty() ? 0 : all.last().version;
}

Result<void> Migrator::ensureTable()
{
    return m_db.execScript(R"(CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()))");
}

Result<int> Migrator::currentVersion()
{
    auto exists = m_db.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists)
        return exists.error();
    if (!exists->boolean(0, 0))
        return 0;
    auto r = m_db.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!r)
        return r.error();
    return int(r->int64(0, 0));
}

Result<void> Migrator::verifyApplied(const QList<Migration> &known)
{
    auto applied = m_db.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY 1");
    if (!applied)
        return applied.error();
    const int latest = known.isEmpty() ? 0 : known.last().version;
    for (int i = 0; i < applied->rows(); ++i) {
        const int version = int(applied->int64(i, 0));
        if (version > latest)
            return makeError(
                u"the database schema is at version %1, newer than this ferry-agent %2 knows "
                "(it knows up to %3): install a ferry-agent at least as new as the one that "
                "migrated this database"_s.arg(version)
                    .arg(QLatin1StringView(FERRY_VERSION))
                    .arg(latest));
        for (const Migration &m : known) {
            if (m.version == version && m.checksum != applied->bytes(i, 2))
                return makeError(
                    u"migration %1 was changed after it was applied to this "
                    "database; released migrations must never be edited"_s.arg(m.name));
        }
    }
    return {};
}

Result<Migrator::Report> Migrator::migrate()
{
    if (auto lock = m_db.exec(kMigrationLock); !lock)
        return lock.error();
    const auto unlock = qScopeGuard([this] {
        // Not released here, the lock goes with the session, which the caller closes.
        if (auto r = m_db.exec(kMigrationUnlock); !r)
            qCWarning(lcStore) << "migration lock not released:" << r.error().message;
    });

    if (auto t = ensureTable(); !t)
        return t.error();
    const QList<Migration> known = bundled();
    if (auto v = verifyApplied(known); !v)
        return v.error();
    auto current = currentVersion();
    if (!current)
        return current.error();

    Report report;
    report.fromVersion = *current;
    report.toVersion = *current;
    for (const Migration &m : known) {
        if (m.version <= *current)
            continue;
        qCInfo(lcStore) << "applying migration" << m.name;
        auto tx = m_db.transaction();
        if (!tx)
            return tx.error();
        auto applied = m_db.execScript(m.sql);
        if (applied) {
            auto rec = m_db.exec(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                {QByteArray::number(m.version), m.name.toUtf8(), m.checksum});
            if (!rec)
                applied = rec.error();
        }
        if (applied)
            applied = tx->commit();
        if (!applied) {
            return makeError(u"migration %1 failed and was rolled back: %2"_s.arg(
                m.name, applied.error().message));
        }
        report.applied.append(m.name);
        report.toVersion = m.version;
    }
    return report;
}

Result<int> Migrator::pendingCount()
{
    auto current = currentVersion();
    if (!current)
        return current.error();
    const QList<Migration> known = bundled();
    if (*current > 0) {
        if (auto v = verifyApplied(known); !v)
            return v.error();
    }
    return int(std::count_if(known.begin(), known.end(),
                             [&](const Migration &m) { return m.version > *current; }));
}

Result<void> Migrator::checkCurrent()
{
    auto pending = pendingCount();
    if (!pending)
        return pending.error();
    if (*pending > 0)
        return makeError(u"the database schema is %1 migration(s) behind this ferry-agent %2 "
                         "(database.auto_migrate is off): run 'ferry-agent migrate'"_s.arg(*pending)
                             .arg(QLatin1StringView(FERRY_VERSION)));
    return {};
}

} // namespace ferry::agent::store
