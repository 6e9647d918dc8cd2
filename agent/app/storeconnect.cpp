#include "agent/app/storeconnect.h"

#include "agent/app/cliio.h"
#include "agent/app/logging.h"
#include "agent/app/partitions.h"
#include "agent/app/systemdnotifier.h"
#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"
#include "agent/store/sessionsharing.h"

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

// A long migration must not look like a hung start to systemd (TimeoutStartSec=): it may
// rewrite a large table (docs/operations.md, "Upgrade").
void announcePending(store::Migrator &migrator)
{
    auto pending = migrator.pendingCount();
    if (!pending || *pending == 0)
        return;
    constexpr qint64 kHourMs = qint64(3600) * 1000;
    SystemdNotifier::extendStartup(
        u"applying %1 schema migration(s); this may take a while on a large database"_s.arg(
            *pending),
        kHourMs);
}

} // namespace

Result<void> connectChecked(store::PgConnection &db, const AgentConfig &config,
                            const Partition *partition)
{
    const QString url = partition ? partition->url : config.string("database.url");
    const QString where = partition ? u"partition %1's url in database.partitions from %2"_s.arg(
                                          partition->name, config.origin("database.partitions"))
                                    : u"database.url from %1"_s.arg(config.origin("database.url"));
    const int timeout = int(config.milliseconds("database.connect_timeout") / 1000);
    if (auto opened = db.open(url, timeout); !opened)
        return makeError(opened.error().message + u" ("_s + where + u')');
    return store::refuseSharedSessions(url, timeout);
}

Result<void> connectAndMigrate(store::PgConnection &db, const AgentConfig &config, bool verbose,
                               const Partition *partition)
{
    if (auto connected = connectChecked(db, config, partition); !connected)
        return connected;
    store::Migrator migrator(db);
    if (!verbose && !config.boolean("database.auto_migrate"))
        return migrator.checkCurrent();
    announcePending(migrator);
    auto report = migrator.migrate();
    if (!report)
        return report.error();
    if (verbose) {
        if (report->applied.isEmpty())
            out() << "schema is current (version " << report->toVersion << ")" << Qt::endl;
        for (const QString &name : report->applied)
            out() << "applied " << name << Qt::endl;
    } else if (!report->applied.isEmpty()) {
        qCInfo(lcStore) << "schema migrated from version" << report->fromVersion << "to"
                        << report->toVersion;
    }
    return {};
}

} // namespace ferry::agent
